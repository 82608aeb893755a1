using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Sources;

/// <summary>Checks and applies a source-field-to-physical-column mapping, the way the CSV decoder names unknown headers.</summary>
internal static class ColumnMapping
{
    /// <summary>The physical column of an unmapped source field at 0-based position <paramref name="index"/> of the headers.</summary>
    public static string Extra(int index) => $"__extra_{index + 1}";

    /// <summary>Fails when two fields map to one column or a column is empty or reserved (<c>__line</c>, <c>__extra_N</c>, any <c>__</c> name).</summary>
    public static void Validate(IReadOnlyDictionary<string, string> fieldToColumn, string source)
    {
        ArgumentNullException.ThrowIfNull(fieldToColumn);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, column) in fieldToColumn)
        {
            if (string.IsNullOrWhiteSpace(field) || string.IsNullOrWhiteSpace(column))
            {
                throw new IngestException($"{source}: the mapping '{field}' → '{column}' has an empty side.");
            }

            if (column.StartsWith("__", StringComparison.Ordinal))
            {
                throw new IngestException($"{source}: '{field}' maps to '{column}', but column names starting with '__' are reserved.");
            }

            if (!targets.TryAdd(column, field))
            {
                throw new IngestException($"{source}: the fields '{targets[column]}' and '{field}' both map to the column '{column}'.");
            }
        }
    }
}
