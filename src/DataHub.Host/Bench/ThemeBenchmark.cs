using System.Diagnostics;
using System.Globalization;
using DataHub.DuckDb;
using DataHub.Host.Platform;
using DataHub.Host.Samples;
using DataHub.Lake.Tables;
using DataHub.Themes.Definitions;
using DataHub.Themes.Fusion;
using DataHub.Themes.Spatial;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench themes</c>: a population theme fused from four generated sources (household registration, social
/// security, civil affairs, health) of <c>--rows</c> rows in all, built in full, then again incrementally after 1% of
/// the rows changed (new rows appended to social security: newer addresses and phones of existing people). The address
/// is geocoded against a generated standard address library of <see cref="LibrarySize"/> addresses (the sources write
/// nine in ten of their addresses as one of the library's, the rest on roads it does not know). Prints both times, each
/// build's phases and their ratio (goal: incremental at most 10% of full).
/// </summary>
public static class ThemeBenchmark
{
    private static readonly (string Id, string Table, double Share)[] Sources =
        [("police", "bench.person_police", 0.4), ("hrss", "bench.person_hrss", 0.3), ("civil", "bench.person_civil", 0.2), ("health", "bench.person_health", 0.1)];

    /// <summary>Standard addresses generated for the benchmark's library.</summary>
    public const int LibrarySize = 20_000;

    /// <summary>Runs the benchmark over a started platform in a scratch home.</summary>
    public static async Task<int> RunAsync(DataHubPlatform platform, long rows, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(output);
        var people = (long)(rows * Sources[0].Share);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"themes: generating {rows:N0} source rows about {people:N0} people …"));
        var started = Stopwatch.GetTimestamp();
        var library = await LibraryAsync(platform, ct);
        using (var duck = new DuckDbConnection("Data Source=:memory:"))
        {
            duck.Open();
            Addresses(duck, library);
            foreach (var (id, table, share) in Sources)
            {
                var n = (long)(rows * share);
                await platform.Tables.CreateTableAsync(table,
                    [new("id_no", "VARCHAR"), new("name", "VARCHAR"), new("address", "VARCHAR"), new("phone", "VARCHAR"), new("status", "VARCHAR"), new("observed", "DATE")],
                    null, new LakeCommit("bench"), ct);
                await platform.Tables.AppendAsync(duck, table, SourceSql(id, n, people, 0, library.Count), new LakeCommit("bench"), ct);
            }
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"themes: sources ready in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
        var theme = Theme();
        var builder = new ThemeBuilder(platform.Tables, Path.Combine(platform.Settings.Home, "themes"));
        var full = await builder.BuildAsync(theme, "bench", full: true, ct);
        await Report(output, full);

        var changed = rows / 100;
        using (var duck = new DuckDbConnection("Data Source=:memory:"))
        {
            duck.Open();
            Addresses(duck, library);
            await platform.Tables.AppendAsync(duck, "bench.person_hrss", SourceSql("hrss", changed, people, 1, library.Count), new LakeCommit("bench", "1% changes"), ct);
        }

        var incremental = await builder.BuildAsync(theme, "bench", full: false, ct);
        await Report(output, incremental);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

            incremental after {changed:N0} changed rows (1%): {incremental.Duration.TotalSeconds:F2} s = {incremental.Duration.TotalSeconds / full.Duration.TotalSeconds * 100:F1}% of the full build (goal ≤ 10%)
            """));
        return 0;
    }

    private static async Task Report(TextWriter output, ThemeBuildResult result) =>
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"themes: {result.Mode,-11} build {result.Duration.TotalSeconds,7:F2} s — {result.Records:N0} people, {result.Written:N0} written, {result.Conflicts:N0} conflicts, {result.AddressesGeocoded:N0} address texts geocoded ({result.AddressesMatched:N0} matched); {string.Join(", ", result.Phases.Select(p => $"{p.Key} {p.Value.TotalSeconds:F2} s"))}; read {string.Join(", ", result.Sources.Select(s => $"{s.Id} {s.Rows:N0} ({s.InvalidKeys:N0} bad keys)"))}"));

    /// <summary>
    /// Rows of one source about people 0..people-1: GB 11643 numbers computed in SQL, written in the departments'
    /// variants (lower-case x, full-width digits, 15-digit numbers), names that sometimes differ, addresses and dates.
    /// </summary>
    private static string SourceSql(string source, long n, long people, int wave, int addresses)
    {
        var stride = source switch { "police" => 1L, "hrss" => 7L, "civil" => 13L, _ => 31L };
        return string.Create(CultureInfo.InvariantCulture, $$"""
            WITH p AS (
                SELECT i, ((i * {{stride}} + {{wave * 7919}}) % {{people}}) AS person FROM range({{n}}) t(i)
            ), s AS (
                SELECT i, person,
                       ['340102', '340103', '340104', '340111', '340121', '340122'][1 + person % 6]
                         || strftime(DATE '1940-01-01' + (person % 25000)::INTEGER, '%Y%m%d') || lpad((person // 25000 % 1000)::VARCHAR, 3, '0') AS first17
                FROM p
            ), c AS (
                SELECT *, {{BenchSupport.WithCitizenCheck("first17")}} AS id
                FROM s
            )
            SELECT CASE
                       WHEN '{{source}}' = 'hrss' AND i % 20 = 0 THEN lower(id)
                       WHEN '{{source}}' = 'civil' AND i % 50 = 0 THEN translate(id, '0123456789', '０１２３４５６７８９')
                       WHEN '{{source}}' = 'health' AND i % 33 = 0 AND substr(id, 7, 2) = '19' THEN substr(id, 1, 6) || substr(id, 9, 9)
                       ELSE id END AS id_no,
                   ['张', '王', '李', '赵', '刘', '陈', '杨', '黄'][1 + person % 8] || ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋'][1 + person // 8 % 8]
                       || CASE WHEN '{{source}}' = 'civil' AND i % 40 = 0 THEN '之' ELSE '' END AS name,
                   CASE WHEN (person + {{wave}}) % 10 = 0
                        THEN '安徽省合肥市' || ['瑶海区', '庐阳区', '蜀山区', '包河区'][1 + (person + {{wave}}) % 4] || '某某路' || ((person * 31 + {{wave}}) % 999)::VARCHAR || '号'
                        ELSE (SELECT text FROM bench_address WHERE n = (person * 31 + {{wave}}) % {{addresses}}) END AS address,
                   CASE WHEN '{{source}}' = 'hrss' THEN '13' || lpad(((person * 7 + {{wave}}) % 1000000000)::VARCHAR, 9, '0') END AS phone,
                   CASE WHEN '{{source}}' = 'health' AND i % 10 = 0 THEN '死亡' WHEN '{{source}}' = 'civil' THEN ['已婚', '离婚'][1 + i % 2] ELSE '正常' END AS status,
                   DATE '2020-01-01' + ((i % 1500) + {{wave * 1600}})::INTEGER AS observed
            FROM c
            """);
    }

    /// <summary>
    /// A generated standard address library (the sample generator's address shape, real Hefei divisions) committed as
    /// the lake's <see cref="StandardAddressLibrary.Dataset"/>; returns its full addresses.
    /// </summary>
    private static async Task<IReadOnlyList<string>> LibraryAsync(DataHubPlatform platform, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("datahub-bench-themes-").FullName;
        try
        {
            var report = SampleGenerator.Generate(SampleKind.Address, LibrarySize, folder, SampleEncoding.Utf8, 20261001, null, ct);
            var addresses = StandardAddressCsv.Read(report.Path).Addresses;
            string[] text = ["address_code", "full_address", "county", "township", "community", "road", "door_no", "estate", "building", "unit", "room", "division", "township_code", "community_code"];
            await platform.Tables.CreateTableAsync(StandardAddressLibrary.Dataset,
                [.. text.Select(c => new LakeColumnDefinition(c, "VARCHAR")), new("longitude", "DOUBLE"), new("latitude", "DOUBLE"), new("status", "VARCHAR")],
                ["address_code"], new LakeCommit("bench"), ct);
            using var duck = new DuckDbConnection("Data Source=:memory:");
            duck.Open();
            duck.Execute($"CREATE TABLE library ({string.Join(", ", text.Select(c => c + " VARCHAR"))}, longitude DOUBLE, latitude DOUBLE, status VARCHAR)");
            using (var appender = duck.CreateAppender("library"))
            {
                foreach (var a in addresses)
                {
                    foreach (var value in new[] { a.Code, a.FullAddress, a.County, a.Township, a.Community, a.Road, a.DoorNumber, a.Estate, a.Building, a.Unit, a.Room, a.CountyCode, a.TownshipCode, a.CommunityCode })
                    {
                        appender.Append(value);
                    }

                    appender.Append(a.Longitude).Append(a.Latitude).Append(a.Status).EndRow();
                }
            }

            await platform.Tables.AppendAsync(duck, StandardAddressLibrary.Dataset, "SELECT * FROM library", new LakeCommit("bench"), ct);
            return addresses.Select(a => a.FullAddress).Distinct(StringComparer.Ordinal).ToList();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The library's addresses as the temporary table <c>bench_address (n, text)</c> the source rows draw from.</summary>
    private static void Addresses(DuckDbConnection duck, IReadOnlyList<string> addresses)
    {
        duck.Execute("CREATE TEMP TABLE bench_address (n BIGINT, text VARCHAR)");
        using var appender = duck.CreateAppender("bench_address");
        for (var i = 0; i < addresses.Count; i++)
        {
            appender.Append((long)i).Append(addresses[i]).EndRow();
        }
    }

    private static ThemeDefinition Theme()
    {
        var sources = Sources.Select(s => new ThemeSource(s.Id, s.Table, "id_no", "observed", s.Id switch
        {
            "police" => new Dictionary<string, string> { ["name"] = "name", ["address"] = "address" },
            "hrss" => new Dictionary<string, string> { ["name"] = "name", ["address"] = "address", ["phone"] = "phone" },
            "civil" => new Dictionary<string, string> { ["name"] = "name", ["marital_status"] = "status" },
            _ => new Dictionary<string, string> { ["name"] = "name", ["vital_status"] = "status" },
        }, [], 0)).ToList();
        return new ThemeDefinition("bench_population", "人口库 (benchmark)", "bench.theme_population", "citizen_id", ThemeKeyKind.CitizenId, sources,
        [
            new ThemeField("name", "VARCHAR", ThemePick.Priority, ["police", "hrss", "civil", "health"], true, 0),
            new ThemeField("address", "VARCHAR", ThemePick.Recency, ["hrss", "police"], true, 0) { StandardAddress = "address" },
            new ThemeField("phone", "VARCHAR", ThemePick.Recency, ["hrss"], false, 0),
            new ThemeField("marital_status", "VARCHAR", ThemePick.Recency, ["civil"], false, 0),
            new ThemeField("vital_status", "VARCHAR", ThemePick.Recency, ["health"], false, 0),
        ], "(benchmark)");
    }
}
