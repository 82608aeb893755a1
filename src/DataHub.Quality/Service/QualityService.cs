using System.Globalization;
using System.Text.Json;
using DataHub.Catalog;
using DataHub.DuckDb;
using DataHub.Lake.Tables;
using DataHub.Quality.Definitions;
using DataHub.Quality.Execution;
using DataHub.Quality.Rules;
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

    private readonly IReadOnlyDictionary<QualityDimension, double>? _weights;
    private readonly Dictionary<string, DatasetDefinition> _derived;

    /// <summary>Creates the service over the catalog, the lake, the rules of <c>catalog/rules</c> and the dimension weights.</summary>
    /// <param name="catalog">The catalog database.</param>
    /// <param name="tables">The lake.</param>
    /// <param name="definitions">The catalog as code.</param>
    /// <param name="rules">The rules.</param>
    /// <param name="weights">The dimension weights (null: equal).</param>
    /// <param name="derived">
    /// Tables that are not catalogue entries but are checked like datasets, with a definition made for them — the theme
    /// tables, whose definitions come from <c>catalog/themes</c>. They count for their provider in the scores and bulletin.
    /// </param>
    public QualityService(NpgsqlDataSource catalog, LakeTables tables, CatalogDefinitions definitions, IReadOnlyList<RuleDefinition> rules,
        IReadOnlyDictionary<QualityDimension, double>? weights = null, IReadOnlyList<DatasetDefinition>? derived = null)
    {
        _catalog = catalog;
        _tables = tables;
        _definitions = definitions;
        _rules = rules;
        _weights = weights;
        _derived = (derived ?? []).Where(d => !definitions.TryGetDataset(d.Name, out _)).ToDictionary(d => d.Name, StringComparer.Ordinal);
    }

    private bool TryGetDataset(string name, out DatasetDefinition definition)
    {
        if (_definitions.TryGetDataset(name, out var found) && found is not null)
        {
            definition = found;
            return true;
        }

        return _derived.TryGetValue(name, out definition!);
    }

    /// <summary>
    /// Departments ranked by the mean of their datasets' latest overall scores (runs started before
    /// <paramref name="before"/>, when given — for a month's bulletin), with the mean per dimension.
    /// </summary>
    public async Task<IReadOnlyList<DepartmentScore>> DepartmentScoresAsync(DateTimeOffset? before = null, CancellationToken ct = default)
    {
        await using var command = _catalog.CreateCommand(
            """
            SELECT DISTINCT ON (dataset) dataset, scores::text FROM datahub.quality_run
            WHERE started_at < @before ORDER BY dataset, id DESC
            """);
        command.Parameters.AddWithValue("before", (before ?? DateTimeOffset.MaxValue).ToUniversalTime());
        var latest = new List<(string Dataset, Dictionary<string, double> Scores)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                latest.Add((reader.GetString(0), JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(1)) ?? []));
            }
        }

        var departments = _definitions.Departments.ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal);
        var scored = latest
            .Where(l => TryGetDataset(l.Dataset, out _))
            .GroupBy(l => TryGetDataset(l.Dataset, out var d) ? d.ProviderCode : string.Empty, StringComparer.Ordinal)
            .Select(g => (Code: g.Key, Datasets: g.Count(), Overall: Math.Round(g.Average(x => x.Scores.GetValueOrDefault(QualityScores.Overall, 100)), 2),
                Dimensions: (IReadOnlyDictionary<string, double>)g.SelectMany(x => x.Scores).Where(kv => kv.Key != QualityScores.Overall)
                    .GroupBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(d => d.Key, d => Math.Round(d.Average(kv => kv.Value), 2), StringComparer.Ordinal)))
            .OrderByDescending(d => d.Overall).ThenBy(d => d.Code, StringComparer.Ordinal)
            .ToList();
        return scored.Select((d, i) => new DepartmentScore(i + 1, d.Code, departments.GetValueOrDefault(d.Code, d.Code), d.Datasets, d.Overall, d.Dimensions)).ToList();
    }

    /// <summary>Datasets with at least one rule and a lake table.</summary>
    public async Task<IReadOnlyList<string>> CheckableDatasetsAsync(CancellationToken ct = default)
    {
        var tables = (await _tables.ListTablesAsync(ct)).ToHashSet(StringComparer.Ordinal);
        return _definitions.Datasets.Concat(_derived.Values).Where(d => tables.Contains(d.Name) && RuleBinder.Bind(d, _rules, r => r, _definitions).Count > 0).Select(d => d.Name).ToList();
    }

    /// <summary>Checks one dataset now; returns the stored run and every rule's result.</summary>
    public Task<(QualityRunRecord Run, QualityRunResult Result)> RunAsync(string dataset, CancellationToken ct = default) =>
        RunAsync(TryGetDataset(dataset, out var definition) ? definition : _definitions.GetDataset(dataset), ct);

    /// <summary>Checks one dataset (or a table described like one, such as a theme table) now; returns the stored run and every rule's result.</summary>
    public async Task<(QualityRunRecord Run, QualityRunResult Result)> RunAsync(DatasetDefinition definition, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var dataset = definition.Name;
        // Foreign keys name schema.table.column (the allowed values), reconcile rules schema.table (the other source,
        // every column); each referenced table is read at its current snapshot.
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rule in RuleBinder.Bind(definition, _rules, r => r, _definitions).Where(r => r.Parameters.ReferenceSql is not null))
        {
            var reference = rule.Parameters.ReferenceSql!;
            if (references.ContainsKey(reference))
            {
                continue;
            }

            var parts = reference.Split('.');
            LakeScan referenced;
            try
            {
                referenced = await _tables.ScanAsync($"{parts[0]}.{parts[1]}", LakeVersion.Current, ct);
            }
            catch (KeyNotFoundException e)
            {
                var source = _rules.FirstOrDefault(r => rule.Id.Split('@')[0] == r.Id)?.Source;
                throw new KeyNotFoundException($"{e.Message} Rule {rule.Id} ({source}) reads it, so {dataset} cannot be checked until it has data.", e);
            }

            references[reference] = parts.Length == 3 ? $"SELECT \"{parts[2]}\" FROM ({referenced.Sql})" : referenced.Sql;
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
        var tableRules = rules.Where(r => r.Kind is RuleKind.RowCount or RuleKind.Freshness or RuleKind.Schema or RuleKind.SourceConflicts).ToList();
        var scanned = await Task.Run(() => QualityRunner.Run(duck, scan.Sql, columns, scan.Table.KeyColumns, rules.Except(tableRules).ToList()), ct);
        var tableResults = new Dictionary<string, RuleResult>(StringComparer.Ordinal);
        foreach (var rule in tableRules)
        {
            tableResults[rule.Id] = await TableRuleAsync(rule, definition, scan, duck, ct);
        }

        var byId = scanned.Rules.ToDictionary(r => r.Rule.Id, StringComparer.Ordinal);
        var result = scanned with { Rules = rules.Select(r => tableResults.TryGetValue(r.Id, out var t) ? t : byId[r.Id]).ToList() };
        var scores = QualityScores.Compute(result.Rules, _weights);
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

    /// <summary>
    /// Rules about the table as a whole, decided here rather than in the scan: row_count (bounds, or change since the
    /// previous data snapshot), freshness (newest value of a column, or the last commit, within the allowed age —
    /// by default the dataset's update cycle with a day's grace), schema (columns and types as catalogued).
    /// Each counts as one check that passes or fails.
    /// </summary>
    private async Task<RuleResult> TableRuleAsync(Rules.QualityRule rule, DatasetDefinition definition, LakeScan scan, DuckDbConnection duck, CancellationToken ct)
    {
        var c = CultureInfo.InvariantCulture;
        string? problem = null;
        string detail;
        switch (rule.Kind)
        {
            case RuleKind.RowCount:
            {
                var rows = scan.RowCount;
                detail = string.Create(c, $"{rows} rows");
                if (rule.Parameters.Min is { } min && rows < long.Parse(min, c))
                {
                    problem = $"{rows} rows, fewer than {min}";
                }
                else if (rule.Parameters.Max is { } max && rows > long.Parse(max, c))
                {
                    problem = $"{rows} rows, more than {max}";
                }
                else if (rule.Parameters.MaxChangePercent is { } change)
                {
                    var previous = (await _tables.HistoryAsync(definition.Name, ct))
                        .FirstOrDefault(s => s.Id < scan.Table.SnapshotId && s.Operation is "append" or "overwrite" or "merge" or "delete");
                    if (previous is not null)
                    {
                        var before = (await _tables.ScanAsync(definition.Name, LakeVersion.Snapshot(previous.Id), ct)).RowCount;
                        var percent = before == 0 ? (rows == 0 ? 0 : 100) : Math.Abs(rows - before) * 100.0 / before;
                        detail = string.Create(c, $"{before} → {rows} rows ({percent:F1}% change since snapshot {previous.Id})");
                        if (percent > change)
                        {
                            problem = string.Create(c, $"changed {percent:F1}% since snapshot {previous.Id}, more than {change}%");
                        }
                    }
                }

                break;
            }

            case RuleKind.Freshness:
            {
                var maxAge = rule.Parameters.MaxAge ?? CycleAge(definition.UpdateCycle);
                DateTimeOffset? newest;
                if (rule.Columns.Count == 1)
                {
                    using var command = new DuckDbCommand($"SELECT max(\"{rule.Columns[0]}\") FROM ({scan.Sql})", duck);
                    newest = command.ExecuteScalar() switch
                    {
                        DateOnly d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
                        DateTimeOffset o => o,
                        _ => null,
                    };
                }
                else
                {
                    newest = (await _tables.HistoryAsync(definition.Name, ct)).FirstOrDefault(s => s.Operation is "append" or "overwrite" or "merge")?.CommittedAt;
                }

                var age = newest is { } n ? DateTimeOffset.UtcNow - n : (TimeSpan?)null;
                detail = newest is null ? "no data" : string.Create(c, $"newest {newest:yyyy-MM-dd HH:mm} UTC, {age!.Value.TotalHours:F0} h old, {maxAge.TotalHours:F0} h allowed");
                if (age is null || age > maxAge)
                {
                    problem = detail;
                }

                break;
            }

            case RuleKind.SourceConflicts:
            {
                // The conflicts table of a theme (key, field, chosen, chosen_source, values, sources): each key with a
                // conflict (in the rule's field, when it names one) fails, out of the theme's records.
                var field = rule.Columns.Count == 1 ? rule.Columns[0] : null;
                using var command = new DuckDbCommand(
                    $"""
                    SELECT key, field, chosen, chosen_source, "values", sources FROM ({rule.Parameters.ReferenceSql})
                    WHERE $field IS NULL OR field = $field ORDER BY key, field
                    """, duck);
                command.Parameters.Add("field", (object?)field ?? DBNull.Value);
                var keys = new HashSet<string>(StringComparer.Ordinal);
                var samples = new List<string>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        keys.Add(reader.GetString(0));
                        if (samples.Count < 5)
                        {
                            samples.Add($"key={reader.GetString(0)}, field={reader.GetString(1)}, values={reader.GetString(4)}, sources={reader.GetString(5)}, chosen={(reader.IsDBNull(2) ? "NULL" : reader.GetString(2))} ({(reader.IsDBNull(3) ? "-" : reader.GetString(3))})");
                        }
                    }
                }

                var records = scan.RowCount;
                var failedKeys = Math.Min(keys.Count, records);
                var conflictDetail = string.Create(c, $"{failedKeys} of {records} records with sources disagreeing{(field is null ? string.Empty : $" on {field}")}");
                var conflictOutcome = rule.Threshold.Allows(failedKeys, records) ? RuleOutcome.Pass : rule.Severity == Rules.RuleSeverity.Warn ? RuleOutcome.Warn : RuleOutcome.Fail;
                return new RuleResult(rule, records, failedKeys, conflictOutcome, samples, conflictDetail);
            }

            default:
            {
                var actual = scan.Table.Columns.ToDictionary(x => x.Name, x => x.Type, StringComparer.Ordinal);
                var issues = new List<string>();
                foreach (var column in definition.Columns)
                {
                    var expected = LakeTypes.Normalize(column.DataType);
                    if (!actual.TryGetValue(column.Name, out var type))
                    {
                        issues.Add($"{column.Name} missing");
                    }
                    else if (type != expected)
                    {
                        issues.Add($"{column.Name} is {type}, catalogued {expected}");
                    }
                }

                issues.AddRange(actual.Keys.Where(k => definition.Columns.All(d => d.Name != k)).Select(k => $"{k} not catalogued"));
                detail = issues.Count == 0 ? "columns and types as catalogued" : string.Join("; ", issues);
                problem = issues.Count == 0 ? null : detail;
                break;
            }
        }

        var failed = problem is null ? 0 : 1;
        var outcome = rule.Threshold.Allows(failed, 1) ? RuleOutcome.Pass : rule.Severity == Rules.RuleSeverity.Warn ? RuleOutcome.Warn : RuleOutcome.Fail;
        return new RuleResult(rule, 1, failed, outcome, problem is null ? [] : [problem], detail);
    }

    private static TimeSpan CycleAge(string? cycle) => cycle switch
    {
        "realtime" => TimeSpan.FromHours(2),
        "hourly" => TimeSpan.FromHours(3),
        "daily" => TimeSpan.FromDays(2),
        "weekly" => TimeSpan.FromDays(8),
        "monthly" => TimeSpan.FromDays(32),
        "quarterly" => TimeSpan.FromDays(93),
        "yearly" => TimeSpan.FromDays(367),
        _ => TimeSpan.FromDays(367),
    };

    /// <summary>
    /// The bulletin of a month from the stored runs: each dataset counts with its latest run before the month ends;
    /// "last month" likewise before the month starts.
    /// </summary>
    public async Task<Bulletin> BulletinAsync(int year, int month, CancellationToken ct = default)
    {
        var start = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddMonths(1);
        var now = await DepartmentScoresAsync(end, ct);
        var before = (await DepartmentScoresAsync(start, ct)).ToDictionary(d => d.Department, StringComparer.Ordinal);
        var departments = now.Select(d => new BulletinDepartment(d, before.GetValueOrDefault(d.Department)?.Rank, before.GetValueOrDefault(d.Department)?.Overall)).ToList();

        var trend = new List<(string, double?)>();
        for (var i = 11; i >= 0; i--)
        {
            var m = start.AddMonths(-i);
            var latest = await LatestOverallsAsync(m.AddMonths(1), ct);
            trend.Add((m.ToString("yyyy-MM", CultureInfo.InvariantCulture), latest.Count == 0 ? null : Math.Round(latest.Average(), 2)));
        }

        var current = await LatestBreachesAsync(end, ct);
        var previous = (await LatestBreachesAsync(start, ct)).Select(r => (r.Dataset, r.RuleId)).ToHashSet();
        var worst = current.OrderByDescending(r => r.FailedPercent).ThenBy(r => r.RuleId, StringComparer.Ordinal).Take(10).ToList();
        return new Bulletin(
            start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            trend[^1].Item2,
            trend,
            departments,
            worst,
            current.Where(r => r.Kind == "freshness").Select(r => r.Dataset).Distinct().ToList(),
            current.Where(r => previous.Contains((r.Dataset, r.RuleId))).ToList())
        {
            Consistency = current.Where(r => r.Dimension == "consistency").OrderByDescending(r => r.Failed).ThenBy(r => r.Dataset, StringComparer.Ordinal)
                .ThenBy(r => r.RuleId, StringComparer.Ordinal).ToList(),
            AddressLinks = (await LatestBreachesAsync(end, ct, kind: "address_link")).OrderBy(r => r.Dataset, StringComparer.Ordinal).ThenBy(r => r.RuleId, StringComparer.Ordinal).ToList(),
        };
    }

    private async Task<List<double>> LatestOverallsAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var command = _catalog.CreateCommand(
            "SELECT DISTINCT ON (dataset) (scores->>'overall')::float8 FROM datahub.quality_run WHERE started_at < @before ORDER BY dataset, id DESC");
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<double>();
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0))
            {
                values.Add(reader.GetDouble(0));
            }
        }

        return values;
    }

    /// <summary>
    /// The breached rules (warn or fail) of each dataset's latest run before a time, samples masked per grade; given a
    /// kind, every result of that kind, passed or not.
    /// </summary>
    private async Task<List<BulletinRule>> LatestBreachesAsync(DateTimeOffset before, CancellationToken ct, string? kind = null)
    {
        await using var command = _catalog.CreateCommand(
            """
            WITH latest AS (SELECT DISTINCT ON (dataset) id, dataset FROM datahub.quality_run WHERE started_at < @before ORDER BY dataset, id DESC)
            SELECT l.dataset, r.rule_id, r.kind, r.dimension, r.checked, r.failed, r.outcome, r.samples::text
            FROM latest l JOIN datahub.quality_result r ON r.run_id = l.id
            WHERE (@kind::text IS NULL AND r.outcome <> 'pass') OR r.kind = @kind::text
            """);
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)kind ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rules = new List<BulletinRule>();
        while (await reader.ReadAsync(ct))
        {
            var dataset = reader.GetString(0);
            var sensitivity = TryGetDataset(dataset, out var d) ? d.Sensitivity : 4;
            var samples = (JsonSerializer.Deserialize<List<string>>(reader.GetString(7)) ?? []).Select(x => sensitivity >= 2 ? Mask(x) : x).ToList();
            rules.Add(new BulletinRule(dataset, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetString(6), samples));
        }

        return rules;
    }

    /// <summary>Masks each <c>name=value</c> of a sample: values longer than four characters keep two at each end.</summary>
    /// <param name="sample">A failing row's sample as stored (<c>name=value, name=value</c>).</param>
    public static string Mask(string sample) =>
        string.Join(", ", sample.Split(", ").Select(part =>
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return part;
            }

            var value = part[(eq + 1)..];
            return value.Length <= 4 || value == "NULL" ? part : part[..(eq + 1)] + value[..2] + new string('*', value.Length - 4) + value[^2..];
        }));

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
