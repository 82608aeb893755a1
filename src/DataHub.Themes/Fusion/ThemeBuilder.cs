using System.Diagnostics;
using System.Globalization;
using DataHub.DuckDb;
using DataHub.Lake.Tables;
using DataHub.Themes.Definitions;

namespace DataHub.Themes.Fusion;

/// <summary>
/// Builds a theme table by fusion, in DuckDB over the lake. Each source's rows (as selected by its conditions) are
/// keyed by the normalised identifier; every field value becomes a candidate (key, field, value, source, snapshot,
/// observed_at); per key and field the candidate ranked first by the field's rule wins (<see cref="ThemePick"/>). The
/// golden record keeps, per field, <c>{field}__source</c> and <c>{field}__snapshot</c>. Where the sources that have a
/// field disagree (compared trimmed and case-folded), the key, field, values and sources are a conflict, written to
/// <see cref="ThemeDefinition.ConflictsTable"/>.
/// </summary>
/// <param name="tables">The lake's tables.</param>
public sealed class ThemeBuilder(LakeTables tables)
{
    private readonly LakeTables _tables = tables ?? throw new ArgumentNullException(nameof(tables));

    /// <summary>The theme table's columns: the key, each field, then each field's source and snapshot, then the sources.</summary>
    /// <param name="theme">The theme.</param>
    public static IReadOnlyList<LakeColumnDefinition> Columns(ThemeDefinition theme)
    {
        ArgumentNullException.ThrowIfNull(theme);
        var columns = new List<LakeColumnDefinition> { new(theme.KeyField, "VARCHAR") };
        columns.AddRange(theme.Fields.Select(f => new LakeColumnDefinition(f.Name, f.Type)));
        foreach (var field in theme.Fields)
        {
            columns.Add(new(field.Name + "__source", "VARCHAR"));
            columns.Add(new(field.Name + "__snapshot", "BIGINT"));
        }

        columns.Add(new("sources", "VARCHAR"));
        return columns;
    }

    /// <summary>The conflicts table's columns.</summary>
    public static IReadOnlyList<LakeColumnDefinition> ConflictColumns { get; } =
        [new("key", "VARCHAR"), new("field", "VARCHAR"), new("chosen", "VARCHAR"), new("chosen_source", "VARCHAR"), new("values", "VARCHAR"), new("sources", "VARCHAR"), new("value_count", "BIGINT")];

    /// <summary>Builds the whole theme from the current snapshots of its sources and commits it (replacing the previous build).</summary>
    /// <param name="theme">The theme.</param>
    /// <param name="author">Who builds (for the lake commits).</param>
    /// <param name="ct">Cancels the build.</param>
    public async Task<ThemeBuildResult> BuildAsync(ThemeDefinition theme, string author, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(theme);
        var started = Stopwatch.GetTimestamp();
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        ThemeKeyFunctions.Register(duck);
        var reports = await StageAsync(duck, theme, ct);
        Rank(duck, theme);
        await EnsureTablesAsync(theme, author, ct);
        var commit = await _tables.OverwriteAsync(duck, theme.Table, GoldenSql(theme), new LakeCommit(author, $"theme {theme.Name}: full build"), ct);
        await _tables.OverwriteAsync(duck, theme.ConflictsTable, ConflictsSql(theme), new LakeCommit(author, $"theme {theme.Name}: conflicts"), ct);
        var records = Scalar(duck, "SELECT count(DISTINCT key) FROM dh_ranked");
        var conflicts = Scalar(duck, $"SELECT count(*) FROM ({ConflictsSql(theme)})");
        return new ThemeBuildResult(theme.Name, theme.Table, "full", records, records, conflicts, reports, commit.Snapshot.Id, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Stages every source as dh_source_{i}(key, raw_key, columns…, observed_at) and the candidates as dh_candidate.</summary>
    private async Task<List<ThemeSourceReport>> StageAsync(DuckDbConnection duck, ThemeDefinition theme, CancellationToken ct)
    {
        var keyFunction = theme.KeyKind == ThemeKeyKind.CitizenId ? ThemeKeyFunctions.CitizenId : ThemeKeyFunctions.CreditCode;
        var reports = new List<ThemeSourceReport>();
        var candidates = new List<string>();
        for (var i = 0; i < theme.Sources.Count; i++)
        {
            var source = theme.Sources[i];
            var staged = string.Create(CultureInfo.InvariantCulture, $"dh_source_{i}");
            if (!await _tables.ExistsAsync(source.Dataset, ct))
            {
                reports.Add(new ThemeSourceReport(source.Id, source.Dataset, null, 0, 0));
                continue;
            }

            var scan = await _tables.ScanAsync(source.Dataset, LakeVersion.Current, ct);
            using (var stage = duck.CreateCommand())
            {
                var columns = source.Fields.Values.Distinct(StringComparer.Ordinal).Select(c => $"CAST(src.{Quote(c)} AS VARCHAR) AS {Quote("c_" + c)}");
                var observed = source.ObservedAt is null ? "CAST(NULL AS TIMESTAMP)" : $"CAST(src.{Quote(source.ObservedAt)} AS TIMESTAMP)";
                var conditions = new List<string>();
                for (var w = 0; w < source.Where.Count; w++)
                {
                    var slots = new List<string>();
                    for (var v = 0; v < source.Where[w].Values.Count; v++)
                    {
                        var name = string.Create(CultureInfo.InvariantCulture, $"w{w}_{v}");
                        stage.Parameters.Add(name, source.Where[w].Values[v]);
                        slots.Add("$" + name);
                    }

                    conditions.Add($"CAST(src.{Quote(source.Where[w].Column)} AS VARCHAR) IN ({string.Join(", ", slots)})");
                }

                stage.CommandText = $"""
                    CREATE TEMP TABLE {staged} AS
                    SELECT {keyFunction}(CAST(src.{Quote(source.KeyColumn)} AS VARCHAR)) AS key, {string.Join(", ", columns)}, {observed} AS observed_at
                    FROM ({scan.Sql}) AS src{(conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions))}
                    """;
                stage.ExecuteNonQuery();
            }

            var rows = Scalar(duck, $"SELECT count(*) FROM {staged}");
            var invalid = Scalar(duck, $"SELECT count(*) FROM {staged} WHERE key IS NULL");
            reports.Add(new ThemeSourceReport(source.Id, source.Dataset, scan.Table.SnapshotId, rows, invalid));
            foreach (var field in theme.Fields)
            {
                var priority = field.Priority.ToList().IndexOf(source.Id);
                if (priority < 0 || !source.Fields.TryGetValue(field.Name, out var column))
                {
                    continue;
                }

                var value = Quote("c_" + column);
                candidates.Add(string.Create(CultureInfo.InvariantCulture, $"""
                    SELECT key, '{field.Name}' AS field, {value} AS value, '{source.Id}' AS source, {scan.Table.SnapshotId}::BIGINT AS snapshot,
                           observed_at, {priority} AS priority, {(field.Pick == ThemePick.Recency ? "true" : "false")} AS by_recency
                    FROM {staged} WHERE key IS NOT NULL AND {value} IS NOT NULL AND trim({value}) <> ''
                    """));
            }
        }

        duck.Execute(candidates.Count == 0
            ? "CREATE TEMP TABLE dh_candidate (key VARCHAR, field VARCHAR, value VARCHAR, source VARCHAR, snapshot BIGINT, observed_at TIMESTAMP, priority INTEGER, by_recency BOOLEAN)"
            : "CREATE TEMP TABLE dh_candidate AS " + string.Join("\nUNION ALL\n", candidates));
        return reports;
    }

    private static void Rank(DuckDbConnection duck, ThemeDefinition theme) =>
        duck.Execute("""
            CREATE TEMP TABLE dh_ranked AS
            SELECT *, row_number() OVER (
                PARTITION BY key, field
                ORDER BY CASE WHEN by_recency THEN observed_at END DESC NULLS LAST, priority, observed_at DESC NULLS LAST, value) AS rn
            FROM dh_candidate
            """);

    private static string GoldenSql(ThemeDefinition theme)
    {
        var columns = new List<string> { $"key AS {Quote(theme.KeyField)}" };
        columns.AddRange(theme.Fields.Select(f => $"CAST(max(value) FILTER (WHERE field = '{f.Name}' AND rn = 1) AS {f.Type}) AS {Quote(f.Name)}"));
        foreach (var f in theme.Fields)
        {
            columns.Add($"max(source) FILTER (WHERE field = '{f.Name}' AND rn = 1) AS {Quote(f.Name + "__source")}");
            columns.Add($"max(snapshot) FILTER (WHERE field = '{f.Name}' AND rn = 1) AS {Quote(f.Name + "__snapshot")}");
        }

        columns.Add("string_agg(DISTINCT source, ',' ORDER BY source) AS sources");
        return $"SELECT {string.Join(", ", columns)} FROM dh_ranked GROUP BY key ORDER BY key";
    }

    private static string ConflictsSql(ThemeDefinition theme)
    {
        var fields = theme.Fields.Where(f => f.Conflicts).Select(f => $"'{f.Name}'").ToList();
        return fields.Count == 0
            ? "SELECT CAST(NULL AS VARCHAR) AS key, CAST(NULL AS VARCHAR) AS field, CAST(NULL AS VARCHAR) AS chosen, CAST(NULL AS VARCHAR) AS chosen_source, CAST(NULL AS VARCHAR) AS \"values\", CAST(NULL AS VARCHAR) AS sources, CAST(0 AS BIGINT) AS value_count WHERE false"
            : $"""
                SELECT key, field,
                       max(value) FILTER (WHERE rn = 1) AS chosen, max(source) FILTER (WHERE rn = 1) AS chosen_source,
                       string_agg(DISTINCT value, ' | ' ORDER BY value) AS "values", string_agg(DISTINCT source, ',' ORDER BY source) AS sources,
                       count(DISTINCT lower(trim(value)))::BIGINT AS value_count
                FROM dh_ranked WHERE field IN ({string.Join(", ", fields)})
                GROUP BY key, field HAVING count(DISTINCT lower(trim(value))) > 1
                ORDER BY key, field
                """;
    }

    private async Task EnsureTablesAsync(ThemeDefinition theme, string author, CancellationToken ct)
    {
        if (!await _tables.ExistsAsync(theme.Table, ct))
        {
            await _tables.CreateTableAsync(theme.Table, Columns(theme), [theme.KeyField], new LakeCommit(author, $"theme {theme.Name}"), ct);
        }

        if (!await _tables.ExistsAsync(theme.ConflictsTable, ct))
        {
            await _tables.CreateTableAsync(theme.ConflictsTable, ConflictColumns, ["key", "field"], new LakeCommit(author, $"theme {theme.Name}: conflicts"), ct);
        }
    }

    private static long Scalar(DuckDbConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
