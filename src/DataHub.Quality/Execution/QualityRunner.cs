using System.Globalization;
using System.Text;
using DataHub.DuckDb;
using DataHub.Quality.Functions;
using DataHub.Quality.Rules;

namespace DataHub.Quality.Execution;

/// <summary>
/// Runs compiled rules over a table on DuckDB: one aggregate scan for every row-level rule (and the checked
/// counts of the set rules), one grouping per unique rule, one anti-join per foreign key and one join per
/// reconcile rule (each returning its own samples), and a capped sample query only for the row-level rules that failed.
/// </summary>
public static class QualityRunner
{
    /// <summary>Failing rows kept per failed rule.</summary>
    public const int DefaultSampleCap = 5;

    /// <summary>Runs the rules over the rows of <paramref name="sourceSql"/>.</summary>
    /// <param name="duck">The connection (the check-digit functions are registered on it if needed).</param>
    /// <param name="sourceSql">A SELECT of the table (for a lake table, its scan at a snapshot).</param>
    /// <param name="columns">The table's columns and types.</param>
    /// <param name="keyColumns">Columns shown with every sample, to find the row again.</param>
    /// <param name="rules">The rules.</param>
    /// <param name="sampleCap">Failing rows kept per failed rule.</param>
    public static QualityRunResult Run(
        DuckDbConnection duck, string sourceSql, IReadOnlyDictionary<string, string> columns, IReadOnlyList<string> keyColumns,
        IReadOnlyList<QualityRule> rules, int sampleCap = DefaultSampleCap)
    {
        ArgumentNullException.ThrowIfNull(duck);
        ArgumentNullException.ThrowIfNull(keyColumns);
        ArgumentNullException.ThrowIfNull(rules);
        QualityFunctions.Register(duck);
        var compiled = RuleCompiler.Compile(rules, columns);
        var queries = 0;

        var counts = new Dictionary<string, (long Checked, long Failed, string? Detail, IReadOnlyList<string>? Samples)>(StringComparer.Ordinal);
        long rows;
        var setChecked = new long[compiled.SetRules.Count];
        using (var command = new DuckDbCommand(RuleCompiler.AggregateSql(compiled, sourceSql), duck))
        using (var reader = command.ExecuteReader())
        {
            queries++;
            reader.Read();
            rows = reader.GetInt64(0);
            for (var i = 0; i < compiled.RowRules.Count; i++)
            {
                counts[compiled.RowRules[i].Rule.Id] = (reader.GetInt64(1 + (2 * i)), reader.GetInt64(2 + (2 * i)), null, null);
            }

            for (var i = 0; i < compiled.SetRules.Count; i++)
            {
                setChecked[i] = reader.GetInt64(1 + (2 * compiled.RowRules.Count) + i);
            }
        }

        for (var i = 0; i < compiled.SetRules.Count; i++)
        {
            var rule = compiled.SetRules[i];
            queries++;
            if (rule.Kind == RuleKind.Reconcile)
            {
                counts[rule.Id] = Reconcile(duck, sourceSql, columns, rule, setChecked[i], sampleCap);
                continue;
            }

            var (failed, detail, samples) = rule.Kind == RuleKind.Unique
                ? Unique(duck, sourceSql, rule, sampleCap)
                : ForeignKey(duck, sourceSql, keyColumns, rule, sampleCap);
            counts[rule.Id] = (setChecked[i], failed, detail, samples);
        }

        var results = new List<RuleResult>();
        foreach (var rule in rules)
        {
            var (checkedRows, failed, detail, samples) = counts[rule.Id];
            var outcome = rule.Threshold.Allows(failed, checkedRows) ? RuleOutcome.Pass : rule.Severity == RuleSeverity.Warn ? RuleOutcome.Warn : RuleOutcome.Fail;
            if (samples is null && failed > 0 && sampleCap > 0)
            {
                queries++;
                samples = Samples(duck, sourceSql, keyColumns, compiled.RowRules.First(r => r.Rule.Id == rule.Id), sampleCap);
            }

            results.Add(new RuleResult(rule, checkedRows, failed, outcome, samples ?? [], detail));
        }

        return new QualityRunResult(rows, results, queries);
    }

    /// <summary>One grouping: the duplicated keys, the rows holding them, and the most repeated keys as samples.</summary>
    private static (long Failed, string? Detail, List<string> Samples) Unique(DuckDbConnection duck, string sourceSql, QualityRule rule, int cap)
    {
        var key = string.Join(", ", rule.Columns.Select(RuleCompiler.Quote));
        var label = string.Join(" || ', ' || ", rule.Columns.Select(c => $"'{c}=' || coalesce(CAST({RuleCompiler.Quote(c)} AS VARCHAR), 'NULL')"));
        var (totals, samples) = SetQuery(duck, $"""
            WITH d AS MATERIALIZED (
              SELECT count(*) AS n, {label} || ', copies=' || count(*) AS label
              FROM ({sourceSql}) s WHERE {RuleCompiler.KeyPresent(rule)} GROUP BY {key} HAVING count(*) > 1)
            SELECT 0 AS part, count(*) AS keys, coalesce(sum(n), 0) AS failed, NULL AS label FROM d
            UNION ALL (SELECT 1, NULL, NULL, label FROM d ORDER BY n DESC, label LIMIT {cap})
            """);
        return (totals[1], string.Create(CultureInfo.InvariantCulture, $"{totals[0]} duplicated key(s)"), samples);
    }

    /// <summary>One anti-join: the rows whose value the reference lacks, and the first of them as samples.</summary>
    private static (long Failed, string? Detail, List<string> Samples) ForeignKey(DuckDbConnection duck, string sourceSql, IReadOnlyList<string> keyColumns, QualityRule rule, int cap)
    {
        var c = RuleCompiler.Quote(rule.Columns[0]);
        var reference = rule.Parameters.ReferenceSql ?? throw new ArgumentException($"Rule {rule.Id} (foreign_key) needs a reference.");
        var shown = keyColumns.Concat(rule.Columns).Distinct(StringComparer.Ordinal).ToList();
        var label = string.Join(" || ', ' || ", shown.Select(k => $"'{k}=' || coalesce(CAST(s.{RuleCompiler.Quote(k)} AS VARCHAR), 'NULL')"));
        var (totals, samples) = SetQuery(duck, $"""
            WITH m AS MATERIALIZED (
              SELECT {label} AS label
              FROM ({sourceSql}) s ANTI JOIN (SELECT DISTINCT * FROM ({reference})) r(__v) ON s.{c} = r.__v
              WHERE s.{c} IS NOT NULL)
            SELECT 0 AS part, count(*) AS keys, count(*) AS failed, NULL AS label FROM m
            UNION ALL (SELECT 1, NULL, NULL, label FROM m LIMIT {cap})
            """);
        return (totals[1], null, samples);
    }

    /// <summary>
    /// One join of this table's rows (those with a complete key) with the other dataset's, both ways, so that a key on
    /// either side only is found too. A row here fails when no row there has its key, or when a field disagrees with
    /// any row there that has it (a key repeated there must agree every time); a key there only fails as one more
    /// checked and failed row. With <c>missing: ignore</c> keys on one side only are counted in the detail alone.
    /// Samples show the key and, for a disagreement, the first disagreeing field's value on each side.
    /// </summary>
    private static (long Checked, long Failed, string? Detail, IReadOnlyList<string>? Samples) Reconcile(
        DuckDbConnection duck, string sourceSql, IReadOnlyDictionary<string, string> columns, QualityRule rule, long keyedRows, int cap)
    {
        var settings = rule.Parameters.Reconcile ?? throw new ArgumentException($"Rule {rule.Id} (reconcile) needs on and compare settings.");
        var otherSql = rule.Parameters.ReferenceSql ?? throw new ArgumentException($"Rule {rule.Id} (reconcile) needs the other dataset (with).");
        if (settings.On.Count == 0 || settings.Compare.Count == 0)
        {
            throw new ArgumentException($"Rule {rule.Id} (reconcile) needs at least one key column (on) and one field (compare).");
        }

        static string Q(string identifier) => RuleCompiler.Quote(identifier);
        static string Text(string value) => $"coalesce(CAST({value} AS VARCHAR), 'NULL')";
        var on = settings.On;
        var fields = settings.Compare;
        var thisSide = string.Join(", ", on.Select((k, i) => $"{Q(k.Column)} AS __k{i}").Concat(fields.Select((f, i) => $"{Q(f.Column)} AS __a{i}")));
        var otherSide = string.Join(", ", on.Select((k, i) => $"{Q(k.OtherColumn)} AS __k{i}").Concat(fields.Select((f, i) => $"{Q(f.OtherColumn)} AS __b{i}")));
        var join = string.Join(" AND ", on.Select((_, i) => $"s.__k{i} = o.__k{i}"));
        var key = string.Join(" || ', ' || ", on.Select((k, i) => $"{RuleCompiler.Literal($"{k.Column}=")} || coalesce(CAST(__k{i} AS VARCHAR), CAST(__ok{i} AS VARCHAR))"));
        var firstDiffering = "CASE " + string.Concat(fields.Select((f, i) => $"WHEN {Disagrees(f, $"s.__a{i}", $"o.__b{i}", columns[f.Column])} THEN {i} ")) + "END";
        var difference = "CASE __first " + string.Concat(fields.Select((f, i) =>
            $"WHEN {i} THEN {RuleCompiler.Literal($"{f.Column}=")} || {Text($"__a{i}")} || {RuleCompiler.Literal($", {settings.With}.{f.OtherColumn}=")} || {Text($"__b{i}")} ")) + "END";
        var missingFrom = RuleCompiler.Literal($", missing from {settings.With}");
        var onlyIn = RuleCompiler.Literal($", only in {settings.With}");

        // __kind: 0 a field disagrees, 1 the key is missing from the other dataset, 2 the key is in the other dataset only.
        var (totals, samples) = SetQuery(duck, $"""
            WITH s AS (
              SELECT row_number() OVER () AS __row, {thisSide} FROM ({sourceSql}) __this
              WHERE {string.Join(" AND ", on.Select(k => $"{Q(k.Column)} IS NOT NULL"))}),
            o AS (
              SELECT true AS __found, {otherSide} FROM ({otherSql}) __other
              WHERE {string.Join(" AND ", on.Select(k => $"{Q(k.OtherColumn)} IS NOT NULL"))}),
            j AS (
              SELECT s.*, o.* RENAME ({string.Join(", ", on.Select((_, i) => $"__k{i} AS __ok{i}"))}),
                CASE WHEN s.__row IS NOT NULL AND o.__found THEN {firstDiffering} END AS __first
              FROM s FULL JOIN o ON {join}),
            c AS (
              SELECT __row, __first,
                CASE WHEN __row IS NULL THEN 2 WHEN __found IS NULL THEN 1 WHEN __first IS NOT NULL THEN 0 END AS __kind,
                {key} || CASE WHEN __row IS NULL THEN {onlyIn} WHEN __found IS NULL THEN {missingFrom} ELSE ', ' || {difference} END AS __label
              FROM j WHERE __row IS NULL OR __found IS NULL OR __first IS NOT NULL),
            f AS MATERIALIZED (
              SELECT min(__kind) AS kind, arg_min(__label, coalesce(__first, -1)) AS label FROM c WHERE __kind < 2 GROUP BY __row
              UNION ALL
              SELECT __kind, __label FROM c WHERE __kind = 2)
            SELECT 0 AS part, count_if(kind = 0), count_if(kind = 1), count_if(kind = 2), NULL AS label FROM f
            UNION ALL (SELECT 1, NULL, NULL, NULL, label FROM f WHERE {(settings.IgnoreMissing ? "kind = 0" : "true")} ORDER BY kind, label LIMIT {cap})
            """);
        var (differing, missing, only) = (totals[0], totals[1], totals[2]);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{differing} differ, {missing} missing from {settings.With}, {only} only in {settings.With}{(settings.IgnoreMissing ? " (missing keys ignored)" : string.Empty)}");
        return settings.IgnoreMissing
            ? (keyedRows, differing, detail, samples)
            : (keyedRows + only, differing + missing + only, detail, samples);
    }

    /// <summary>
    /// True (never NULL) when a field disagrees: NULL against a value; numbers with a tolerance beyond both
    /// tolerances; text once trimmed; anything else when not equal.
    /// </summary>
    private static string Disagrees(ReconcileField field, string a, string b, string type)
    {
        var c = CultureInfo.InvariantCulture;
        if (field.Tolerance is not null || field.TolerancePercent is not null)
        {
            var within = new List<string>();
            if (field.Tolerance is { } absolute)
            {
                within.Add($"abs({a} - {b}) <= {absolute.ToString(c)}");
            }

            if (field.TolerancePercent is { } percent)
            {
                within.Add($"abs({a} - {b}) * 100 <= {percent.ToString(c)} * abs({b})");
            }

            return $"(CASE WHEN {a} IS NULL OR {b} IS NULL THEN ({a} IS NULL) <> ({b} IS NULL) ELSE NOT ({string.Join(" OR ", within)}) END)";
        }

        return type.StartsWith("VARCHAR", StringComparison.OrdinalIgnoreCase)
            ? $"(trim({a}) IS DISTINCT FROM trim(CAST({b} AS VARCHAR)))"
            : $"({a} IS DISTINCT FROM {b})";
    }

    /// <summary>Reads a set query: one totals row (part 0: its counts, then a NULL label) and up to the cap of sample rows (part 1: the label last).</summary>
    private static (long[] Totals, List<string> Samples) SetQuery(DuckDbConnection duck, string sql)
    {
        var totals = Array.Empty<long>();
        var samples = new List<string>();
        using var command = new DuckDbCommand(sql, duck);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.GetInt32(0) == 0)
            {
                totals = Enumerable.Range(1, reader.FieldCount - 2).Select(reader.GetInt64).ToArray();
            }
            else
            {
                samples.Add(reader.GetString(reader.FieldCount - 1));
            }
        }

        return (totals, samples);
    }

    private static List<string> Samples(DuckDbConnection duck, string sourceSql, IReadOnlyList<string> keyColumns, CompiledRule rule, int cap)
    {
        var shown = keyColumns.Concat(rule.Rule.Columns).Distinct(StringComparer.Ordinal).Select(RuleCompiler.Quote).ToList();
        var select = shown.Count == 0 ? "*" : string.Join(", ", shown);
        var samples = new List<string>();
        // An unlinked record with an address text (one to correct) is a better example than one without any: those first.
        var order = rule.Rule.Kind == RuleKind.AddressLink && rule.Rule.Columns.Count > 1
            ? $" ORDER BY ({RuleCompiler.Quote(rule.Rule.Columns[1])} IS NULL){string.Concat(keyColumns.Select(k => ", " + RuleCompiler.Quote(k)))}"
            : string.Empty;
        using var command = new DuckDbCommand($"SELECT {select} FROM ({sourceSql}) s WHERE {rule.ViolatesSql}{order} LIMIT {cap}", duck);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var line = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                line.Append(i == 0 ? string.Empty : ", ").Append(reader.GetName(i)).Append('=').Append(reader.IsDBNull(i) ? "NULL" : reader.GetString(i));
            }

            samples.Add(line.ToString());
        }

        return samples;
    }
}
