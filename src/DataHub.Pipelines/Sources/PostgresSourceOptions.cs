namespace DataHub.Pipelines.Sources;

/// <summary>A departmental PostgreSQL database read by <see cref="PostgresSource"/>.</summary>
/// <param name="ConnectionString">
/// An Npgsql connection string, or <c>env:NAME</c> to read it from the environment variable NAME (so that no password
/// sits in a pipeline definition).
/// </param>
/// <param name="Table">The table or view to read, <c>schema.table</c> or <c>table</c>: plain identifiers, quoted as written (so case-sensitive). Exactly one of this and <paramref name="Query"/>.</param>
/// <param name="Query">A single SELECT (no semicolon), read as a subquery. Exactly one of this and <paramref name="Table"/>.</param>
/// <param name="WatermarkColumn">
/// The column that orders new rows (an update timestamp, an increasing id): each run reads the rows whose value is
/// greater than the last run's maximum, in its order. Rows where it is NULL are never read. Null reads everything.
/// </param>
/// <param name="BatchLimit">
/// At most about this many rows per run: the batch ends at the watermark value of its last row, and every row sharing
/// that value is included (so a batch can be larger), since the next run starts after it.
/// </param>
public sealed record PostgresSourceOptions(
    string ConnectionString,
    string? Table = null,
    string? Query = null,
    string? WatermarkColumn = null,
    int? BatchLimit = null)
{
    /// <summary>How long one statement may run.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>What is wrong with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("the connection string is empty.");
        }

        if (string.IsNullOrWhiteSpace(Table) == string.IsNullOrWhiteSpace(Query))
        {
            problems.Add("give exactly one of table and query.");
        }

        if (!string.IsNullOrWhiteSpace(Table) && !PostgresIdentifiers.IsTableName(Table))
        {
            problems.Add($"table '{Table}' is not schema.table or table made of plain identifiers.");
        }

        if (!string.IsNullOrWhiteSpace(Query) && PostgresIdentifiers.TrimQuery(Query).Contains(';', StringComparison.Ordinal))
        {
            problems.Add("the query must be a single SELECT without semicolons.");
        }

        if (WatermarkColumn is not null && !PostgresIdentifiers.IsIdentifier(WatermarkColumn))
        {
            problems.Add($"watermark column '{WatermarkColumn}' is not a plain identifier.");
        }

        if (BatchLimit is <= 0)
        {
            problems.Add("the batch limit must be positive.");
        }

        if (CommandTimeout <= TimeSpan.Zero)
        {
            problems.Add("the command timeout must be positive.");
        }

        return problems;
    }
}
