using System.Text.RegularExpressions;

namespace DataHub.Catalog.Lineage;

/// <summary>
/// The dataset names lineage uses and their OpenLineage (namespace, name) pairs. A lake table is named
/// <c>schema.table</c> and lives in the namespace <see cref="LakeNamespace"/>; anything else carries its namespace
/// as a prefix, such as <c>file:samples/water/meter_readings_2026-10-01.csv</c> (namespace <c>file</c>).
/// </summary>
public static partial class LineageDatasetName
{
    /// <summary>The OpenLineage namespace of the lake's tables.</summary>
    public const string LakeNamespace = "datahub";

    /// <summary>Whether a name is a lake table (<c>schema.table</c>) or a prefixed source name.</summary>
    /// <param name="dataset">The name to check.</param>
    public static bool IsValid(string? dataset) =>
        dataset is not null && (LakeTable().IsMatch(dataset) || (Prefixed().Match(dataset) is { Success: true } m && SafePath(m.Groups["name"].Value)));

    /// <summary>The OpenLineage namespace and name of a dataset.</summary>
    /// <param name="dataset">A valid dataset name.</param>
    /// <exception cref="ArgumentException">The name is neither a lake table nor a prefixed source name.</exception>
    public static (string Namespace, string Name) ToOpenLineage(string dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (LakeTable().IsMatch(dataset))
        {
            return (LakeNamespace, dataset);
        }

        var match = Prefixed().Match(dataset);
        if (!match.Success || !SafePath(match.Groups["name"].Value))
        {
            throw new ArgumentException(
                $"'{dataset}' is not a dataset name: use schema.table for a lake table or namespace:name (such as file:samples/x.csv) for a source.",
                nameof(dataset));
        }

        return (match.Groups["ns"].Value, match.Groups["name"].Value);
    }

    /// <summary>A file source's dataset name, from its path relative to the repository or inbox.</summary>
    /// <param name="relativePath">Such as <c>samples/water/meter_readings_2026-10-01.csv</c>.</param>
    public static string ForFile(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        var name = "file:" + relativePath.Replace('\\', '/');
        return IsValid(name) ? name : throw new ArgumentException($"'{relativePath}' cannot name a file dataset.", nameof(relativePath));
    }

    private static bool SafePath(string name) => !name.Split('/').Contains("..");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}\\.[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex LakeTable();

    [GeneratedRegex("^(?<ns>[a-z][a-z0-9+.-]{0,31}):(?<name>[^\\p{Cc}]{1,1000})$")]
    private static partial Regex Prefixed();
}
