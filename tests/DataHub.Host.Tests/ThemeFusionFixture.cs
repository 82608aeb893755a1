using System.Globalization;
using System.Text;
using DataHub.DuckDb;
using DataHub.Host.Platform;
using DataHub.Host.Scheduling;
using DataHub.Host.Tests.Samples;
using DataHub.Lake.Tables;
using DataHub.Pipelines.Ingest;
using DataHub.Themes.Definitions;
using DataHub.Themes.Fusion;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>
/// The theme sources as the demo ingests them: a platform in a fresh home, the seven theme pipelines run over the
/// committed samples (their gates quarantine the dirty rows), the quarantined tax rows that
/// <c>samples/themes/expected_conflicts.csv</c> names corrected and re-submitted as an operator would, and both
/// themes built in full (with their quality runs). Shared by the tests of one class.
/// </summary>
public sealed class ThemeFusionFixture : IAsyncLifetime
{
    public static readonly string[] Pipelines =
    [
        "population_household_registration", "market_business_registration", "civil_marriage_registration", "health_vital_event",
        "hrss_insurance_enrollment", "tax_taxpayer_registration", "water_account_holder",
        "spatial_standard_address", // the library the theme records' addresses are linked to
    ];

    public static readonly string Samples = Path.Combine(DataHubSettings.FindRoot(), "samples");

    public string Home { get; } = Directory.CreateTempSubdirectory("datahub-themes-").FullName;

    public DataHubPlatform Platform { get; private set; } = null!;

    public PipelineRunner Runner { get; private set; } = null!;

    public ThemeDefinition PopulationTheme => Platform.Themes.Find("population")!;

    public ThemeDefinition LegalEntityTheme => Platform.Themes.Find("legal_entity")!;

    public ThemeBuildResult Population { get; private set; } = null!;

    public ThemeBuildResult LegalEntity { get; private set; } = null!;

    /// <summary>The re-submissions of corrected quarantined rows.</summary>
    public IReadOnlyList<IngestReport> Resubmitted { get; private set; } = [];

    /// <summary>The facts of expected_conflicts.csv: theme, key, field, expected, evidence, why.</summary>
    public static IReadOnlyList<string[]> Facts { get; } = File.ReadAllLines(Path.Combine(Samples, "themes", "expected_conflicts.csv"), Encoding.UTF8)
        .Skip(1).Where(l => l.Length > 0).Select(SourceFile.SplitCsv).ToList();

    public async Task InitializeAsync()
    {
        var settings = new DataHubSettings { Home = Home, Urls = "http://127.0.0.1:0", Root = DataHubSettings.FindRoot() };
        Platform = await DataHubPlatform.StartAsync(settings, NullLoggerFactory.Instance, CancellationToken.None);
        Runner = new PipelineRunner(Platform, NullLoggerFactory.Instance);
        foreach (var pipeline in Pipelines)
        {
            await Runner.RunAsync(pipeline, CancellationToken.None);
        }

        Resubmitted = await ResubmitCorrectedRowsAsync();
        Population = await Platform.Themes.BuildAsync(PopulationTheme, "test", full: true, CancellationToken.None);
        LegalEntity = await Platform.Themes.BuildAsync(LegalEntityTheme, "test", full: true, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Runner.Dispose();
        await Platform.DisposeAsync();
        Directory.Delete(Home, recursive: true);
    }

    /// <summary>
    /// The quarantined rows that name a key of the expected facts, corrected the way the quarantine export is meant to
    /// be used: a record with a field too many loses the trailing one, full-width digits become ASCII, a blank
    /// 纳税人名称 takes the market register's name of the same credit code. Each pipeline's corrections go back through
    /// it with their quarantine ids.
    /// </summary>
    private async Task<IReadOnlyList<IngestReport>> ResubmitCorrectedRowsAsync()
    {
        var keys = Facts.Select(f => f[1]).ToHashSet(StringComparer.Ordinal);
        var market = SourceFile.Read(Path.Combine(Samples, "market", "business_registration_2026-10.ndjson"));
        var names = market.Records.GroupBy(r => r["统一社会信用代码"], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()["企业名称"], StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tax_taxpayer_registration"] = "tax/taxpayer_registration_2026-09.csv",
            ["health_vital_event"] = "health/vital_events_2026-09.csv",
            ["hrss_insurance_enrollment"] = "hrss/insurance_enrollment_2026-09.csv",
            ["civil_marriage_registration"] = "civil/marriage_registration_2026-09.csv",
            ["water_account_holder"] = "water_account/account_holders_2026-09.csv",
            ["population_household_registration"] = "population/household_registration_2026-09-30.csv",
        };
        static string Fold(string value) => new string(value.Trim().Select(c => c is >= '！' and <= '～' ? (char)(c - '！' + '!') : c).ToArray());
        var reports = new List<IngestReport>();
        foreach (var (pipeline, sample) in files)
        {
            var headers = SourceFile.Read(Path.Combine(Samples, sample)).Headers;
            var lines = new List<string> { string.Join(',', headers.Prepend("__quarantine_id")) };
            var ids = new List<string>();
            foreach (var (id, original) in await QuarantinedAsync(pipeline))
            {
                string?[] values;
                if (original.StartsWith('"'))
                {
                    values = System.Text.Json.JsonSerializer.Deserialize<string>(original)!.Split(',').Take(headers.Count).ToArray<string?>();
                }
                else
                {
                    var json = System.Text.Json.JsonDocument.Parse(original).RootElement;
                    values = headers.Select(h => json.TryGetProperty(h, out var v) && v.ValueKind != System.Text.Json.JsonValueKind.Null ? v.GetString() : null).ToArray();
                }

                var corrected = original.StartsWith('"');
                var folded = values.Select(v => v is null ? null : Fold(v)).ToArray();
                corrected |= !folded.SequenceEqual(values.Select(v => v?.Trim()));
                values = folded;
                if (!values.Any(v => v is not null && keys.Contains(v.ToUpperInvariant())))
                {
                    continue;
                }

                var name = headers.ToList().IndexOf("纳税人名称");
                if (name >= 0 && values[name] is null && names.TryGetValue(values[0]!, out var registered))
                {
                    values[name] = registered;
                    corrected = true;
                }

                if (!corrected)
                {
                    continue; // nothing an operator could correct without inventing a value (an impossible date, say)
                }

                ids.Add(id);
                lines.Add(string.Join(',', values.Select(v => v ?? string.Empty).Prepend(id)));
            }

            if (ids.Count > 0)
            {
                var file = Path.Combine(Home, pipeline + "-corrected.csv");
                await File.WriteAllLinesAsync(file, lines, new UTF8Encoding(false));
                reports.Add(await Runner.ResubmitAsync(pipeline, file, ids, CancellationToken.None));
            }
        }

        return reports;
    }

    private async Task<List<(string Id, string Original)>> QuarantinedAsync(string pipeline)
    {
        var scan = await Platform.Tables.ScanAsync(PipelineIngestor.QuarantineTable);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        using var command = new DuckDbCommand($"SELECT quarantine_id, original FROM ({scan.Sql}) WHERE pipeline = $pipeline ORDER BY line", duck);
        command.Parameters.Add("pipeline", pipeline);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>Every row of a lake table (current snapshot), each value as DuckDB prints it (dates as YYYY-MM-DD).</summary>
    public async Task<List<Dictionary<string, string?>>> RowsAsync(string table, string? where = null)
    {
        var scan = await Platform.Tables.ScanAsync(table);
        return Query($"SELECT COLUMNS(*)::VARCHAR FROM ({scan.Sql}) AS t{(where is null ? string.Empty : " WHERE " + where)}");
    }

    /// <summary>Runs a query over an in-memory DuckDB with the key functions registered.</summary>
    public static List<Dictionary<string, string?>> Query(string sql)
    {
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        ThemeKeyFunctions.Register(duck);
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, string?>>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName,
                i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture), StringComparer.Ordinal));
        }

        return rows;
    }

    /// <summary>The golden records of a theme table by key.</summary>
    public async Task<Dictionary<string, Dictionary<string, string?>>> RecordsAsync(string table, string key) =>
        (await RowsAsync(table)).ToDictionary(r => r[key]!, StringComparer.Ordinal);
}
