using System.Globalization;
using System.Text;
using DataHub.DuckDb;
using DataHub.Quality.Functions;
using DataHub.Quality.Rules;

namespace DataHub.Quality.Execution;

/// <summary>
/// Runs compiled rules over a table on DuckDB: one aggregate scan for every row-level rule, one grouped query per
/// unique rule, one anti-join per foreign key, and sample queries only for the rules that failed.
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
        QualityFunctions.Register(duck);
        var compiled = RuleCompiler.Compile(rules, columns);
        var queries = 0;

        var counts = new Dictionary<string, (long Checked, long Failed, string? Detail)>(StringComparer.Ordinal);
        long rows;
        using (var command = new DuckDbCommand(RuleCompiler.AggregateSql(compiled.RowRules, sourceSql), duck))
        using (var reader = command.ExecuteReader())
        {
            queries++;
            reader.Read();
            rows = reader.GetInt64(0);
            for (var i = 0; i < compiled.RowRules.Count; i++)
            {
                counts[compiled.RowRules[i].Rule.Id] = (reader.GetInt64(1 + (2 * i)), reader.GetInt64(2 + (2 * i)), null);
            }
        }

        foreach (var rule in compiled.SetRules)
        {
            queries++;
            counts[rule.Id] = rule.Kind == RuleKind.Unique ? Unique(duck, sourceSql, rule) : ForeignKey(duck, sourceSql, rule);
        }

        var results = new List<RuleResult>();
        foreach (var rule in rules)
        {
            var (checkedRows, failed, detail) = counts[rule.Id];
            var outcome = rule.Threshold.Allows(failed, checkedRows) ? RuleOutcome.Pass : rule.Severity == RuleSeverity.Warn ? RuleOutcome.Warn : RuleOutcome.Fail;
            IReadOnlyList<string> samples = [];
            if (failed > 0 && sampleCap > 0)
            {
                queries++;
                samples = Samples(duck, sourceSql, keyColumns, rule, compiled, sampleCap);
            }

            results.Add(new RuleResult(rule, checkedRows, failed, outcome, samples, detail));
        }

        return new QualityRunResult(rows, results, queries);
    }

    private static (long, long, string?) Unique(DuckDbConnection duck, string sourceSql, QualityRule rule)
    {
        var key = string.Join(", ", rule.Columns.Select(RuleCompiler.Quote));
        var where = rule.Parameters.NullsAreKeys ? "true" : string.Join(" AND ", rule.Columns.Select(c => $"{RuleCompiler.Quote(c)} IS NOT NULL"));
        using var command = new DuckDbCommand(
            $"""
            SELECT (SELECT count(*) FROM ({sourceSql}) s WHERE {where}),
                   count(*), coalesce(sum(n), 0)
            FROM (SELECT count(*) AS n FROM ({sourceSql}) s WHERE {where} GROUP BY {key} HAVING count(*) > 1)
            """, duck);
        using var reader = command.ExecuteReader();
        reader.Read();
        var keys = reader.GetInt64(1);
        return (reader.GetInt64(0), reader.GetInt64(2), string.Create(CultureInfo.InvariantCulture, $"{keys} duplicated key(s)"));
    }

    private static (long, long, string?) ForeignKey(DuckDbConnection duck, string sourceSql, QualityRule rule)
    {
        var c = RuleCompiler.Quote(rule.Columns[0]);
        var reference = rule.Parameters.ReferenceSql ?? throw new ArgumentException($"Rule {rule.Id} (foreign_key) needs a reference.");
        using var command = new DuckDbCommand(
            $"""
            SELECT count(*), count(*) FILTER (WHERE r.__v IS NULL)
            FROM ({sourceSql}) s LEFT JOIN (SELECT DISTINCT * FROM ({reference})) r(__v) ON s.{c} = r.__v
            WHERE s.{c} IS NOT NULL
            """, duck);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), null);
    }

    private static List<string> Samples(DuckDbConnection duck, string sourceSql, IReadOnlyList<string> keyColumns, QualityRule rule, CompiledRules compiled, int cap)
    {
        var shown = keyColumns.Concat(rule.Columns).Distinct(StringComparer.Ordinal).Select(RuleCompiler.Quote).ToList();
        var select = shown.Count == 0 ? "*" : string.Join(", ", shown);
        string sql;
        switch (rule.Kind)
        {
            case RuleKind.Unique:
                var key = string.Join(", ", rule.Columns.Select(RuleCompiler.Quote));
                sql = $"SELECT {key}, count(*) AS copies FROM ({sourceSql}) s GROUP BY {key} HAVING count(*) > 1 ORDER BY copies DESC LIMIT {cap}";
                break;
            case RuleKind.ForeignKey:
                var c = RuleCompiler.Quote(rule.Columns[0]);
                sql = $"SELECT {select} FROM ({sourceSql}) s WHERE {c} IS NOT NULL AND {c} NOT IN (SELECT * FROM ({rule.Parameters.ReferenceSql})) LIMIT {cap}";
                break;
            default:
                var compiledRule = compiled.RowRules.First(r => r.Rule.Id == rule.Id);
                sql = $"SELECT {select} FROM ({sourceSql}) s WHERE {compiledRule.ViolatesSql} LIMIT {cap}";
                break;
        }

        var samples = new List<string>();
        using var command = new DuckDbCommand(sql, duck);
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
