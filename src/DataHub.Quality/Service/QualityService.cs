using System.Globalization;
using System.Text.Json;
using DataHub.Catalog;
using DataHub.DuckDb;
using DataHub.Lake.Tables;
using DataHub.Quality.Definitions;
using DataHub.Quality.Execution;
using Npgsql;

namespace DataHub.Quality.Service;

/// <summary>
/// Runs a dataset's rules over its current lake snapshot and stores the results and scores in the catalog,
/// kept as history.
/// </summary>
public sealed class QualityService
{
    private readonly NpgsqlDataSource _catalog;
    private readonly LakeTables _tables;
    private readonly CatalogDefinitions _definitions;
    private readonly IReadOnlyList<RuleDefinition> _rules;

    /// <summary>Creates the service over the catalog, the lake and the rules of <c>catalog/rules</c>.</summary>
    public QualityService(NpgsqlDataSource catalog, LakeTables tables, CatalogDefinitions definitions, IReadOnlyList<RuleDefinition> rules)
    {
        _catalog = catalog;
        _tables = tables;
        _definitions = definitions;
        _rules = rules;
    }

    /// <summary>Datasets with at least one rule and a lake table.</summary>
    public async Task<IReadOnlyList<string>> CheckableDatasetsAsync(CancellationToken ct = default)
    {
        var tables = (await _tables.ListTablesAsync(ct)).ToHashSet(StringComparer.Ordinal);
        return _definitions.Datasets.Where(d => tables.Contains(d.Name) && RuleBinder.Bind(d, _rules, r => r, _definitions).Count > 0).Select(d => d.Name).ToList();
    }

    /// <summary>Checks one dataset now; returns the stored run and every rule's result.</summary>
    public async Task<(QualityRunRecord Run, QualityRunResult Result)> RunAsync(string dataset, CancellationToken ct = default)
    {
        var definition = _definitions.GetDataset(dataset);
        // Foreign keys name schema.table.column; each referenced table is read at its current snapshot.
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in RuleBinder.Bind(definition, _rules, r => r, _definitions).Select(r => r.Parameters.ReferenceSql).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var parts = reference.Split('.');
            var referenced = await _tables.ScanAsync($"{parts[0]}.{parts[1]}", LakeVersion.Current, ct);
            references[reference] = $"SELECT \"{parts[2]}\" FROM ({referenced.Sql})";
        }

        var rules = RuleBinder.Bind(definition, _rules, r => references[r], _definitions);
        if (rules.Count == 0)
        {
            throw new KeyNotFoundException($"No quality rule in catalog/rules reaches {dataset}.");
        }

        var scan = await _tables.ScanAsync(dataset, LakeVersion.Current, ct);

        var started = DateTimeOffset.UtcNow;
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        var columns = scan.Table.Columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var result = await Task.Run(() => QualityRunner.Run(duck, scan.Sql, columns, scan.Table.KeyColumns, rules), ct);
        var scores = QualityScores.Compute(result.Rules);
        var id = await StoreAsync(dataset, scan.Table.SnapshotId, started, result, scores, ct);
        return (new QualityRunRecord(id, dataset, scan.Table.SnapshotId, started, result.Rows, scores), result);
    }

    /// <summary>The stored runs of a dataset, newest first.</summary>
    public async Task<IReadOnlyList<QualityRunRecord>> HistoryAsync(string dataset, int limit = 24, CancellationToken ct = default)
    {
        await using var command = _catalog.CreateCommand(
            "SELECT id, dataset, snapshot_id, started_at, rows_scanned, scores::text FROM datahub.quality_run WHERE dataset = @dataset ORDER BY id DESC LIMIT @limit");
        command.Parameters.AddWithValue("dataset", dataset);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<QualityRunRecord>();
        while (await reader.ReadAsync(ct))
        {
            runs.Add(new QualityRunRecord(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt64(4),
                JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(5)) ?? []));
        }

        return runs;
    }

    /// <summary>A stored run and its rule results, or null when there is no such run.</summary>
    public async Task<(QualityRunRecord Run, IReadOnlyList<QualityRuleRecord> Rules)?> GetRunAsync(long id, CancellationToken ct = default)
    {
        QualityRunRecord run;
        await using (var command = _catalog.CreateCommand(
            "SELECT id, dataset, snapshot_id, started_at, rows_scanned, scores::text FROM datahub.quality_run WHERE id = @id"))
        {
            command.Parameters.AddWithValue("id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            run = new QualityRunRecord(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt64(4),
                JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(5)) ?? []);
        }

        var rules = new List<QualityRuleRecord>();
        await using (var command = _catalog.CreateCommand(
            "SELECT rule_id, kind, dimension, severity, checked, failed, outcome, detail, samples::text FROM datahub.quality_result WHERE run_id = @id ORDER BY rule_id"))
        {
            command.Parameters.AddWithValue("id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rules.Add(new QualityRuleRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetInt64(4), reader.GetInt64(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                    JsonSerializer.Deserialize<List<string>>(reader.GetString(8)) ?? []));
            }
        }

        return (run, rules);
    }

    /// <summary>The rule kind as the rule files spell it (InCodeSet → in_code_set).</summary>
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));

    private async Task<long> StoreAsync(string dataset, long snapshotId, DateTimeOffset started, QualityRunResult result, IReadOnlyDictionary<string, double> scores, CancellationToken ct)
    {
        await using var connection = await _catalog.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long id;
        await using (var run = new NpgsqlCommand(
            "INSERT INTO datahub.quality_run (dataset, snapshot_id, started_at, finished_at, rows_scanned, scores) VALUES (@d, @s, @t, now(), @r, @scores::jsonb) RETURNING id",
            connection, transaction))
        {
            run.Parameters.AddWithValue("d", dataset);
            run.Parameters.AddWithValue("s", snapshotId);
            run.Parameters.AddWithValue("t", started);
            run.Parameters.AddWithValue("r", result.Rows);
            run.Parameters.AddWithValue("scores", JsonSerializer.Serialize(scores));
            id = (long)(await run.ExecuteScalarAsync(ct))!;
        }

        foreach (var r in result.Rules)
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO datahub.quality_result (run_id, rule_id, kind, dimension, severity, checked, failed, outcome, detail, samples)
                VALUES (@run, @rule, @kind, @dimension, @severity, @checked, @failed, @outcome, @detail, @samples::jsonb)
                """, connection, transaction);
            insert.Parameters.AddWithValue("run", id);
            insert.Parameters.AddWithValue("rule", r.Rule.Id);
            insert.Parameters.AddWithValue("kind", SnakeCase(r.Rule.Kind.ToString()));
            insert.Parameters.AddWithValue("dimension", r.Rule.Dimension.ToString().ToLowerInvariant());
            insert.Parameters.AddWithValue("severity", r.Rule.Severity.ToString().ToLowerInvariant());
            insert.Parameters.AddWithValue("checked", r.Checked);
            insert.Parameters.AddWithValue("failed", r.Failed);
            insert.Parameters.AddWithValue("outcome", r.Outcome.ToString().ToLowerInvariant());
            insert.Parameters.Add(new NpgsqlParameter("detail", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)r.Detail ?? DBNull.Value });
            insert.Parameters.AddWithValue("samples", JsonSerializer.Serialize(r.Samples));
            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return id;
    }
}
