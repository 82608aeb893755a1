namespace DataHub.Quality.Service;

/// <summary>A department's quality: the mean of its datasets' latest overall scores, and per dimension.</summary>
/// <param name="Rank">1 for the best.</param>
/// <param name="Department">Department code.</param>
/// <param name="Name">Department name.</param>
/// <param name="Datasets">Datasets with at least one quality run.</param>
/// <param name="Overall">Mean overall score (0–100).</param>
/// <param name="Dimensions">Mean score per dimension over the datasets that have rules in it.</param>
public sealed record DepartmentScore(int Rank, string Department, string Name, int Datasets, double Overall, IReadOnlyDictionary<string, double> Dimensions);
