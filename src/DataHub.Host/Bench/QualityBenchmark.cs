using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataHub.DuckDb;
using DataHub.Lake;
using DataHub.Quality.Execution;
using DataHub.Quality.Functions;
using DataHub.Quality.Rules;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench quality</c>: a generated population table (10 columns, ~1% bad values) checked by 30 rules,
/// timed four ways in one run — a plain scan of the same columns (context), DataHub's quality run (one aggregate
/// scan plus one query per unique/foreign-key rule plus capped samples), the best single hand-written DuckDB query
/// for the same metrics (the ceiling), and one query per rule (how dbt tests and Griffin run checks).
/// </summary>
public static class QualityBenchmark
{
    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        ["citizen_id"] = "VARCHAR", ["name"] = "VARCHAR", ["sex"] = "VARCHAR", ["birth_date"] = "DATE", ["phone"] = "VARCHAR",
        ["division_code"] = "VARCHAR", ["address"] = "VARCHAR", ["email"] = "VARCHAR", ["household_id"] = "VARCHAR", ["employer_code"] = "VARCHAR",
    };

    private static readonly string[] Divisions = ["340102", "340103", "340104", "340111", "340121", "340122", "340123", "340124", "340181"];

    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static async Task<int> RunAsync(int rows, int runs, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var directory = Directory.CreateTempSubdirectory("datahub-bench-quality-").FullName;
        try
        {
            using var duck = new DuckDbConnection($"Data Source={Path.Combine(directory, "population.duckdb")};Temp Directory={directory}");
            duck.Open();
            QualityFunctions.Register(duck);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Generating {rows:N0} people with 10 columns …"));
            Generate(duck, rows, directory);
            var rules = Rules();

            var timings = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            void Time(string name, Action action)
            {
                var start = Stopwatch.GetTimestamp();
                action();
                (timings.TryGetValue(name, out var list) ? list : timings[name] = []).Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            QualityRunResult? ours = null;
            long[]? handWritten = null;
            List<(string Rule, double Seconds)> perRule = [];
            for (var run = 0; run < runs; run++)
            {
                ct.ThrowIfCancellationRequested();
                Time("scan", () => Scalar(duck, $"SELECT {string.Join(" + ", Columns.Keys.Select(c => $"count({c})"))} FROM people"));
                Time("ours", () => ours = QualityRunner.Run(duck, "SELECT * FROM people", Columns, ["citizen_id"], rules));
                Time("hand", () => handWritten = HandWritten(duck));
                Time("per-rule", () => perRule = PerRule(duck, rules));
            }

            // The hand-written query must find exactly what the quality run found, or the comparison is void.
            var failed = ours!.Rules.Select(r => r.Failed).ToArray();
            if (!failed.SequenceEqual(handWritten!))
            {
                throw new InvalidOperationException($"The hand-written query disagrees with the quality run: [{string.Join(", ", handWritten!)}] vs [{string.Join(", ", failed)}].");
            }

            double M(string name) => timings[name].Order().ElementAt(timings[name].Count / 2);
            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"""

                quality: {rows:N0} rows, {rules.Count} rules over {Columns.Count} columns ({rules.Count(r => r.Kind == RuleKind.Unique)} unique, {rules.Count(r => r.Kind == RuleKind.ForeignKey)} foreign key), median of {runs} run(s), {Environment.ProcessorCount} cores
                  plain scan of the 10 columns          {M("scan"),8:F3} s   (context)
                  DataHub quality run                   {M("ours"),8:F3} s   ({ours.Queries} queries incl. samples)
                  hand-written single query (ceiling)   {M("hand"),8:F3} s
                  one query per rule                    {M("per-rule"),8:F3} s   ({rules.Count} queries)
                  ours / hand-written                   {M("ours") / M("hand"),8:F2} x   (goal ≤ 1.2)
                  one-per-rule / ours                   {M("per-rule") / M("ours"),8:F2} x   (goal ≥ 3)
                """);
            report.AppendLine("  rule                      checked     failed  outcome   alone (s)");
            foreach (var r in ours.Rules)
            {
                var alone = perRule.FirstOrDefault(p => p.Rule == r.Rule.Id).Seconds;
                report.AppendLine(CultureInfo.InvariantCulture, $"  {r.Rule.Id,-24} {r.Checked,10:N0} {r.Failed,10:N0}  {r.Outcome,-8} {alone,8:F3}");
            }

            await output.WriteLineAsync(report.ToString());
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Generate(DuckDbConnection duck, int rows, string directory)
    {
        var divisions = string.Join(", ", Divisions.Select(d => $"'{d}'"));
        duck.Execute($"""
            CREATE TABLE employers AS
            SELECT '91' || '340100' || upper(substr(md5(i::VARCHAR), 1, 9)) AS stem FROM range(1000) r(i);
            CREATE TABLE households AS SELECT 'H' || lpad(i::VARCHAR, 9, '0') AS household_id FROM range({rows / 3 + 1}) r(i);
            CREATE TABLE people AS
            WITH base AS (
              SELECT i, CAST(hash(i) % 1000000007 AS BIGINT) AS h,
                     [{divisions}][(i % 9) + 1] AS division,
                     DATE '1940-01-01' + CAST(hash(i) % 29000 AS INTEGER) AS birth,
                     lpad(((i * 7) % 1000)::VARCHAR, 3, '0') AS seq
              FROM range({rows}) r(i))
            SELECT
              CASE WHEN i % 97 = 0 THEN stem || '0' ELSE stem || dh_citizen_id_check(stem) END AS citizen_id,
              CASE WHEN i % 211 = 0 THEN '无' ELSE ['张','王','李','赵','刘','陈','杨','黄'][(h % 8) + 1] || ['伟','芳','娜','敏','静','丽','强','磊','军','洋'][((h // 8) % 10) + 1] END AS name,
              CASE WHEN i % 401 = 0 THEN '3' WHEN CAST(seq AS INTEGER) % 2 = 1 THEN '1' ELSE '2' END AS sex,
              CASE WHEN i % 307 = 0 THEN birth + 1 ELSE birth END AS birth_date,
              CASE WHEN i % 89 = 0 THEN '1' || lpad((h % 100000000)::VARCHAR, 8, '0') ELSE '1' || ['3','5','7','8','9'][(h % 5) + 1] || lpad((h % 1000000000)::VARCHAR, 9, '0') END AS phone,
              CASE WHEN i % 503 = 0 THEN '349999' ELSE division END AS division_code,
              '合肥市' || ['瑶海区','庐阳区','蜀山区','包河区','长丰县','肥东县','肥西县','庐江县','巢湖市'][(i % 9) + 1] || (h % 999 + 1) || '号' AS address,
              CASE WHEN i % 113 = 0 THEN 'u' || i || '.example.cn' ELSE 'u' || i || '@example.cn' END AS email,
              CASE WHEN i % 1009 = 0 THEN 'H999999999' ELSE 'H' || lpad((i // 3)::VARCHAR, 9, '0') END AS household_id,
              CAST(NULL AS VARCHAR) AS employer_code
            FROM (SELECT *, division || strftime(birth, '%Y%m%d') || seq AS stem FROM base);
            """);

        // Employer credit codes carry a real GB 32100 check character (computed here), 1 in 199 corrupted.
        var codes = new List<string>();
        using (var command = new DuckDbCommand("SELECT stem FROM employers", duck))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var stem = reader.GetString(0).Replace('I', '1').Replace('O', '0').Replace('S', '5').Replace('V', 'W').Replace('Z', '2');
                codes.Add(stem + CheckDigits.CreditCodeCheck(System.Text.Encoding.ASCII.GetBytes(stem)));
            }
        }

        duck.Execute("CREATE TABLE employer_codes(k INTEGER, code VARCHAR)");
        using (var appender = duck.CreateAppender("employer_codes"))
        {
            for (var k = 0; k < codes.Count; k++)
            {
                appender.Append(k).Append(codes[k]).EndRow();
            }

            appender.Close();
        }

        duck.Execute($"""
            CREATE OR REPLACE TABLE people AS
            SELECT p.* REPLACE (CASE WHEN p.rn % 251 = 0 THEN NULL WHEN p.rn % 199 = 0 THEN left(e.code, 17) || 'I' ELSE e.code END AS employer_code)
            FROM (SELECT *, row_number() OVER () AS rn FROM people) p JOIN employer_codes e ON e.k = p.rn % 1000;
            ALTER TABLE people DROP COLUMN rn;
            """);

        // Checked where quality runs read data: zstd Parquet files, as the lake stores them.
        var people = LakeStorage.SqlLiteral(Path.Combine(directory, "people.parquet"));
        var households = LakeStorage.SqlLiteral(Path.Combine(directory, "households.parquet"));
        duck.Execute($"""
            COPY people TO {people} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {LakeStorage.RowGroupSize});
            COPY households TO {households} (FORMAT parquet, COMPRESSION zstd);
            DROP TABLE people; DROP TABLE households;
            CREATE VIEW people AS SELECT * FROM read_parquet({people});
            CREATE VIEW households AS SELECT * FROM read_parquet({households});
            """);
    }

    private static List<QualityRule> Rules()
    {
        static QualityRule R(string id, RuleKind kind, string[] columns, RuleParameters? p = null, QualityDimension d = QualityDimension.Accuracy, RuleSeverity s = RuleSeverity.Fail) =>
            new(id, kind, d, s, columns, p ?? new RuleParameters(), RuleThreshold.Zero);
        var divisions = Divisions.ToList();
        return
        [
            R("citizen_id.not_null", RuleKind.NotNull, ["citizen_id"], d: QualityDimension.Completeness),
            R("name.not_null", RuleKind.NotNull, ["name"], d: QualityDimension.Completeness),
            R("sex.not_null", RuleKind.NotNull, ["sex"], d: QualityDimension.Completeness),
            R("birth_date.not_null", RuleKind.NotNull, ["birth_date"], d: QualityDimension.Completeness),
            R("phone.not_null", RuleKind.NotNull, ["phone"], d: QualityDimension.Completeness),
            R("division.not_null", RuleKind.NotNull, ["division_code"], d: QualityDimension.Completeness),
            R("address.not_null", RuleKind.NotNull, ["address"], d: QualityDimension.Completeness),
            R("household.not_null", RuleKind.NotNull, ["household_id"], d: QualityDimension.Completeness),
            R("citizen_id.format", RuleKind.Format, ["citizen_id"], new RuleParameters { Pattern = "[1-9][0-9]{16}[0-9X]" }, QualityDimension.Normativity),
            R("phone.format", RuleKind.Format, ["phone"], new RuleParameters { Pattern = "1[3-9][0-9]{9}" }, QualityDimension.Normativity),
            R("email.format", RuleKind.Format, ["email"], new RuleParameters { Pattern = "[^@ ]+@[^@ ]+\\.[a-z]{2,}" }, QualityDimension.Normativity),
            R("division.format", RuleKind.Format, ["division_code"], new RuleParameters { Pattern = "[1-8][0-9]{5}" }, QualityDimension.Normativity),
            R("household.format", RuleKind.Format, ["household_id"], new RuleParameters { Pattern = "H[0-9]{9}" }, QualityDimension.Normativity),
            R("sex.code", RuleKind.InCodeSet, ["sex"], new RuleParameters { Codes = ["0", "1", "2", "9"] }, QualityDimension.Normativity),
            R("division.code", RuleKind.InCodeSet, ["division_code"], new RuleParameters { Codes = divisions }, QualityDimension.Normativity),
            R("name.length", RuleKind.Length, ["name"], new RuleParameters { Min = "2", Max = "20" }),
            R("address.length", RuleKind.Length, ["address"], new RuleParameters { Min = "6", Max = "100" }),
            R("citizen_id.length", RuleKind.Length, ["citizen_id"], new RuleParameters { Min = "18", Max = "18" }),
            R("birth_date.range", RuleKind.Range, ["birth_date"], new RuleParameters { Min = "1900-01-01", Max = "2026-12-31" }),
            R("phone.range", RuleKind.Range, ["phone"], new RuleParameters { Min = "13000000000", Max = "19999999999" }),
            R("household.range", RuleKind.Range, ["household_id"], new RuleParameters { Min = "H000000000", Max = "H999999999" }),
            R("citizen_id.check", RuleKind.CheckDigit, ["citizen_id"], new RuleParameters { Algorithm = "gb11643" }),
            R("employer.check", RuleKind.CheckDigit, ["employer_code"], new RuleParameters { Algorithm = "gb32100" }, s: RuleSeverity.Warn),
            R("id_birth_matches", RuleKind.Expression, [], new RuleParameters { Condition = "substr(citizen_id, 7, 8) = strftime(birth_date, '%Y%m%d')" }, QualityDimension.Consistency),
            R("id_sex_matches", RuleKind.Expression, [], new RuleParameters { Condition = "CAST(substr(citizen_id, 17, 1) AS INTEGER) % 2 = CASE sex WHEN '1' THEN 1 WHEN '2' THEN 0 END" }, QualityDimension.Consistency),
            R("id_division_matches", RuleKind.Expression, [], new RuleParameters { Condition = "left(citizen_id, 6) = division_code" }, QualityDimension.Consistency),
            R("email.length", RuleKind.Length, ["email"], new RuleParameters { Min = "6", Max = "64" }),
            R("employer.not_null", RuleKind.NotNull, ["employer_code"], d: QualityDimension.Completeness, s: RuleSeverity.Warn),
            R("citizen_id.unique", RuleKind.Unique, ["citizen_id"]),
            R("household.fk", RuleKind.ForeignKey, ["household_id"], new RuleParameters { ReferenceSql = "SELECT household_id FROM households" }, QualityDimension.Consistency),
        ];
    }

    /// <summary>
    /// The same 30 metrics as the best single query we could write by hand: one pass with FILTERed counts, the
    /// duplicate-key count and the anti-join folded in as scalar subqueries.
    /// </summary>
    private static long[] HandWritten(DuckDbConnection duck)
    {
        const string sql = """
            SELECT
              count(*) FILTER (WHERE citizen_id IS NULL OR citizen_id IN ('', 'NULL', 'null', '\N', '无', 'N/A') OR ((starts_with(citizen_id, ' ') OR suffix(citizen_id, ' ')) AND trim(citizen_id) IN ('', 'NULL', 'null', '\N', '无', 'N/A'))),
              count(*) FILTER (WHERE name IS NULL OR name IN ('', 'NULL', 'null', '\N', '无', 'N/A') OR ((starts_with(name, ' ') OR suffix(name, ' ')) AND trim(name) IN ('', 'NULL', 'null', '\N', '无', 'N/A'))),
              count(*) FILTER (WHERE sex IS NULL OR sex IN ('', 'NULL', 'null', '\N', '无', 'N/A') OR ((starts_with(sex, ' ') OR suffix(sex, ' ')) AND trim(sex) IN ('', 'NULL', 'null', '\N', '无', 'N/A'))),
              count(*) FILTER (WHERE birth_date IS NULL),
              count(*) FILTER (WHERE phone IS NULL OR phone IN ('', 'NULL', 'null', '\N', '无', 'N/A') OR ((starts_with(phone, ' ') OR suffix(phone, ' ')) AND trim(phone) IN ('', 'NULL', 'null', '\N', '无', 'N/A'))),
              count(*) FILTER (WHERE division_code IS NULL OR division_code IN ('', 'NULL', 'null', '\N', '无', 'N/A') OR ((starts_with(division_code, ' ') OR suffix(division_code, ' ')) AND trim(division_code) IN ('', 'NULL', 'null', '\N', '无', 'N/A'))),
              count(*) FILTER (WHERE address IS NULL OR address IN ('', 'NULL', 'null', '\N', '无', 'N/A') OR ((starts_with(address, ' ') OR suffix(address, ' ')) AND trim(address) IN ('', 'NULL', 'null', '\N', '无', 'N/A'))),
              count(*) FILTER (WHERE household_id IS NULL OR household_id IN ('', 'NULL', 'null', '\N', '无', 'N/A') OR ((starts_with(household_id, ' ') OR suffix(household_id, ' ')) AND trim(household_id) IN ('', 'NULL', 'null', '\N', '无', 'N/A'))),
              count(*) FILTER (WHERE NOT regexp_full_match(citizen_id, '[1-9][0-9]{16}[0-9X]')),
              count(*) FILTER (WHERE NOT regexp_full_match(phone, '1[3-9][0-9]{9}')),
              count(*) FILTER (WHERE NOT regexp_full_match(email, '[^@ ]+@[^@ ]+\.[a-z]{2,}')),
              count(*) FILTER (WHERE NOT regexp_full_match(division_code, '[1-8][0-9]{5}')),
              count(*) FILTER (WHERE NOT regexp_full_match(household_id, 'H[0-9]{9}')),
              count(*) FILTER (WHERE sex NOT IN ('0', '1', '2', '9')),
              count(*) FILTER (WHERE division_code NOT IN ('340102', '340103', '340104', '340111', '340121', '340122', '340123', '340124', '340181')),
              count(*) FILTER (WHERE length(name) < 2 OR length(name) > 20),
              count(*) FILTER (WHERE length(address) < 6 OR length(address) > 100),
              count(*) FILTER (WHERE length(citizen_id) <> 18),
              count(*) FILTER (WHERE birth_date < DATE '1900-01-01' OR birth_date > DATE '2026-12-31'),
              count(*) FILTER (WHERE phone < '13000000000' OR phone > '19999999999'),
              count(*) FILTER (WHERE household_id < 'H000000000' OR household_id > 'H999999999'),
              count(*) FILTER (WHERE NOT dh_citizen_id_valid(citizen_id)),
              count(*) FILTER (WHERE NOT dh_credit_code_valid(employer_code)),
              count(*) FILTER (WHERE substr(citizen_id, 7, 8) <> strftime(birth_date, '%Y%m%d')),
              count(*) FILTER (WHERE CAST(substr(citizen_id, 17, 1) AS INTEGER) % 2 <> CASE sex WHEN '1' THEN 1 WHEN '2' THEN 0 END),
              count(*) FILTER (WHERE left(citizen_id, 6) <> division_code),
              count(*) FILTER (WHERE length(email) < 6 OR length(email) > 64),
              count(*) FILTER (WHERE employer_code IS NULL OR employer_code IN ('', 'NULL', 'null', '\N', '无', 'N/A') OR ((starts_with(employer_code, ' ') OR suffix(employer_code, ' ')) AND trim(employer_code) IN ('', 'NULL', 'null', '\N', '无', 'N/A'))),
              (SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM people WHERE citizen_id IS NOT NULL GROUP BY citizen_id HAVING count(*) > 1)),
              (SELECT count(*) FROM people p ANTI JOIN households h ON p.household_id = h.household_id WHERE p.household_id IS NOT NULL)
            FROM people
            """;
        using var command = new DuckDbCommand(sql, duck);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetInt64(i)).ToArray();
    }

    private static List<(string Rule, double Seconds)> PerRule(DuckDbConnection duck, List<QualityRule> rules)
    {
        var compiled = RuleCompiler.Compile(rules, Columns);
        var times = new List<(string, double)>();
        void Timed(string id, string sql)
        {
            var start = Stopwatch.GetTimestamp();
            Scalar(duck, sql);
            times.Add((id, Stopwatch.GetElapsedTime(start).TotalSeconds));
        }

        foreach (var rule in compiled.RowRules)
        {
            Timed(rule.Rule.Id, $"SELECT count(*) FILTER (WHERE {rule.ViolatesSql}) FROM people");
        }

        Timed("citizen_id.unique", "SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM people WHERE citizen_id IS NOT NULL GROUP BY citizen_id HAVING count(*) > 1)");
        Timed("household.fk", "SELECT count(*) FROM people p ANTI JOIN households h ON p.household_id = h.household_id WHERE p.household_id IS NOT NULL");
        return times;
    }

    private static long Scalar(DuckDbConnection duck, string sql)
    {
        using var command = new DuckDbCommand(sql, duck);
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(0);
    }
}
