namespace DataHub.Quality.Service;

/// <summary>A department's line in the bulletin.</summary>
/// <param name="Score">This month's score.</param>
/// <param name="PreviousRank">Last month's rank (null when not ranked then).</param>
/// <param name="PreviousOverall">Last month's overall score.</param>
public sealed record BulletinDepartment(DepartmentScore Score, int? PreviousRank, double? PreviousOverall);
