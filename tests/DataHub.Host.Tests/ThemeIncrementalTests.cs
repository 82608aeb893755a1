using DataHub.DuckDb;
using DataHub.Lake.Tables;
using DataHub.Themes.Definitions;
using DataHub.Themes.Fusion;

namespace DataHub.Host.Tests;

/// <summary>
/// Incremental builds of both themes over the ingested samples after changes to several sources — a death certificate
/// withdrawn, a divorce, a move, a newly insured person, an enterprise leaving the market register (whose old taxpayer
/// number then resolves to nothing) — equal a full build: records, conflicts and history. Its own platform, since it
/// changes the sources.
/// </summary>
public sealed class ThemeIncrementalTests(ThemeFusionFixture fixture) : IClassFixture<ThemeFusionFixture>
{
    [Fact]
    public async Task Incremental_builds_after_changes_in_several_sources_equal_full_builds()
    {
        var tables = fixture.Platform.Tables;
        var state = Path.Combine(fixture.Home, "themes-incremental");
        static ThemeDefinition Copy(ThemeDefinition theme) => theme with
        {
            Name = theme.Name + "_incremental",
            Table = theme.Table + "_incremental",
            History = theme.History is null ? null : theme.History with { Table = theme.History.Table + "_incremental" },
        };
        var population = Copy(fixture.PopulationTheme);
        var legal = Copy(fixture.LegalEntityTheme);
        var builder = new ThemeBuilder(tables, state);
        Assert.Equal("full", (await builder.BuildAsync(population, "test", full: false, CancellationToken.None)).Mode);
        Assert.Equal("full", (await builder.BuildAsync(legal, "test", full: false, CancellationToken.None)).Mode);

        var deceased = "340124195010022156";
        var divorced = "340104197303098991";
        var oldNumber = "340104387551869";
        var newcomer = "34011119990101003" + DataHub.Quality.Functions.CheckDigits.CitizenCheck(System.Text.Encoding.ASCII.GetBytes("34011119990101003"));
        using (var duck = new DuckDbConnection("Data Source=:memory:"))
        {
            duck.Open();
            ThemeKeyFunctions.Register(duck);
            async Task<string> Scan(string table) => (await tables.ScanAsync(table)).Sql;
            var commit = new LakeCommit("test", "changes for the incremental build");
            await tables.DeleteAsync(duck, "health.vital_event", $"dh_citizen_id(citizen_id) = '{deceased}'", commit, CancellationToken.None);
            await tables.AppendAsync(duck, "civil.marriage_registration", $"""
                SELECT * REPLACE ('离婚' AS registration_type, 'L-TEST-1' AS certificate_no, DATE '2026-09-01' AS registration_date)
                FROM ({await Scan("civil.marriage_registration")}) WHERE dh_citizen_id(male_citizen_id) = '{divorced}' LIMIT 1
                """, commit, CancellationToken.None);
            await tables.AppendAsync(duck, "hrss.insurance_enrollment", $"""
                SELECT * REPLACE ('安徽省合肥市蜀山区测试街道新居1号' AS residence_address, DATE '2026-09-20' AS updated_date)
                FROM ({await Scan("hrss.insurance_enrollment")}) WHERE dh_citizen_id(citizen_id) = '{divorced}' LIMIT 1
                """, commit, CancellationToken.None);
            await tables.AppendAsync(duck, "hrss.insurance_enrollment", $"""
                SELECT * REPLACE ('{newcomer}' AS citizen_id, '测试新人' AS name, DATE '2026-09-21' AS updated_date)
                FROM ({await Scan("hrss.insurance_enrollment")}) LIMIT 1
                """, commit, CancellationToken.None);
            await tables.DeleteAsync(duck, "market.business_registration", $"substr(uscc, 3, 15) = '{oldNumber}'", commit, CancellationToken.None);
        }

        var people = await builder.BuildAsync(population, "test", full: false, CancellationToken.None);
        var entities = await builder.BuildAsync(legal, "test", full: false, CancellationToken.None);
        Assert.Equal(("incremental", "incremental"), (people.Mode, entities.Mode));
        Assert.InRange(people.Written, 3, people.Records / 10);
        // The market register changed, so the tax source (whose old numbers it resolves) was staged whole again.
        var tax = Assert.Single(entities.Sources, s => s.Id == "tax");
        Assert.Equal(Assert.Single(fixture.LegalEntity.Sources, s => s.Id == "tax").Rows, tax.Rows);
        Assert.Equal(Assert.Single(fixture.LegalEntity.Sources, s => s.Id == "tax").OldNumbers - 1, tax.OldNumbers);

        var incremental = await SnapshotAsync(population, legal);
        var afterPeople = await fixture.RecordsAsync(population.Table, "citizen_id");
        Assert.Null(afterPeople[deceased]["death_date"]);
        Assert.Equal("离婚", afterPeople[divorced]["marital_status"]);
        Assert.Equal("安徽省合肥市蜀山区测试街道新居1号", afterPeople[divorced]["residence_address"]);
        Assert.Equal("测试新人", afterPeople[newcomer]["name"]);
        var afterEntities = await fixture.RecordsAsync(legal.Table, "credit_code");
        Assert.DoesNotContain(afterEntities.Values, e => e["credit_code"]![2..17] == oldNumber && e["tax_status__source"] == "tax");

        var fullPeople = await builder.BuildAsync(population, "test", full: true, CancellationToken.None);
        var fullEntities = await builder.BuildAsync(legal, "test", full: true, CancellationToken.None);
        Assert.Equal((people.Records, entities.Records), (fullPeople.Records, fullEntities.Records));
        var full = await SnapshotAsync(population, legal);
        foreach (var (table, rows) in full)
        {
            Assert.Equal(rows, incremental[table]);
        }
    }

    /// <summary>Every table of both themes as sorted lines, without the snapshot columns (a full build reads every value at the current snapshots, an incremental one only what changed).</summary>
    private async Task<Dictionary<string, List<string>>> SnapshotAsync(params ThemeDefinition[] themes)
    {
        var tables = themes.SelectMany(t => new[] { t.Table, t.ConflictsTable }.Concat(t.History is null ? [] : [t.History.Table]));
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            result[table] = (await fixture.RowsAsync(table)).Select(r => string.Join('|', r.Where(kv => !kv.Key.EndsWith("snapshot", StringComparison.Ordinal))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))).Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(result[table]);
        }

        return result;
    }
}
