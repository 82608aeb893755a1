using System.Globalization;
using System.Text;
using DataHub.DuckDb;
using DataHub.Quality.Functions;
using DataHub.Quality.Rules;

namespace DataHub.Quality.Execution;

/// <summary>
/// Runs compiled rules over a table on DuckDB: one aggregate scan for every row-level rule (and the checked
/// counts of the set rules), one grouping per unique rule and one anti-join per foreign key (each returning its
/// own samples), and a capped sample query only for the row-level rules that failed.
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
        var (keys, failed, samples) = SetQuery(duck, $"""
            WITH d AS MATERIALIZED (
              SELECT count(*) AS n, {label} || ', copies=' || count(*) AS label
              FROM ({sourceSql}) s WHERE {RuleCompiler.KeyPresent(rule)} GROUP BY {key} HAVING count(*) > 1)
            SELECT 0 AS part, count(*) AS keys, coalesce(sum(n), 0) AS failed, NULL AS label FROM d
            UNION ALL (SELECT 1, NULL, NULL, label FROM d ORDER BY n DESC, label LIMIT {cap})
            """);
        return (failed, string.Create(CultureInfo.InvariantCulture, $"{keys} duplicated key(s)"), samples);
    }

    /// <summary>One anti-join: the rows whose value the reference lacks, and the first of them as samples.</summary>
    private static (long Failed, string? Detail, List<string> Samples) ForeignKey(DuckDbConnection duck, string sourceSql, IReadOnlyList<string> keyColumns, QualityRule rule, int cap)
    {
        var c = RuleCompiler.Quote(rule.Columns[0]);
        var reference = rule.Parameters.ReferenceSql ?? throw new ArgumentException($"Rule {rule.Id} (foreign_key) needs a reference.");
        var shown = keyColumns.Concat(rule.Columns).Distinct(StringComparer.Ordinal).ToList();
        var label = string.Join(" || ', ' || ", shown.Select(k => $"'{k}=' || coalesce(CAST(s.{RuleCompiler.Quote(k)} AS VARCHAR), 'NULL')"));
        var (_, failed, samples) = SetQuery(duck, $"""
            WITH m AS MATERIALIZED (
              SELECT {label} AS label
              FROM ({sourceSql}) s ANTI JOIN (SELECT DISTINCT * FROM ({reference})) r(__v) ON s.{c} = r.__v
              WHERE s.{c} IS NOT NULL)
            SELECT 0 AS part, count(*) AS keys, count(*) AS failed, NULL AS label FROM m
            UNION ALL (SELECT 1, NULL, NULL, label FROM m LIMIT {cap})
            """);
        return (failed, null, samples);
    }

    /// <summary>Reads a set query: one totals row (part 0) and up to the cap of sample rows (part 1).</summary>
    private static (long Keys, long Failed, List<string> Samples) SetQuery(DuckDbConnection duck, string sql)
    {
        long keys = 0;
        long failed = 0;
        var samples = new List<string>();
        using var command = new DuckDbCommand(sql, duck);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.GetInt32(0) == 0)
            {
                keys = reader.GetInt64(1);
                failed = reader.GetInt64(2);
            }
            else
            {
                samples.Add(reader.GetString(3));
            }
        }

        return (keys, failed, samples);
    }

    private static List<string> Samples(DuckDbConnection duck, string sourceSql, IReadOnlyList<string> keyColumns, CompiledRule rule, int cap)
    {
        var shown = keyColumns.Concat(rule.Rule.Columns).Distinct(StringComparer.Ordinal).Select(RuleCompiler.Quote).ToList();
        var select = shown.Count == 0 ? "*" : string.Join(", ", shown);
        var samples = new List<string>();
        using var command = new DuckDbCommand($"SELECT {select} FROM ({sourceSql}) s WHERE {rule.ViolatesSql} LIMIT {cap}", duck);
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
