using System.Globalization;
using System.Text;
using DataHub.Catalog;
using DataHub.Catalog.Tests;
using DataHub.DuckDb;
using DataHub.Lake;
using DataHub.Lake.Tables;
using DataHub.Quality.Definitions;
using DataHub.Quality.Functions;
using DataHub.Quality.Service;
using DataHub.Themes.Definitions;
using DataHub.Themes.Fusion;
using DataHub.Themes.Spatial;
using DataHub.Themes.Tests.Spatial;
using Npgsql;

namespace DataHub.Themes.Tests;

/// <summary>
/// Links from golden records to standard addresses: a theme field marked <c>standard_address</c> is geocoded against
/// the library in the lake (the real sample addresses) during the build, and the <c>address_link</c> rule counts the
/// records without a standard address in the quality results and the bulletin. Real PostgreSQL, real DuckDB.
/// </summary>
[Collection(PostgresTestGroup.Name)]
public sealed class AddressLinkTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _root = TestDirectories.Create("theme-links");
    private NpgsqlDataSource _database = null!;
    private LakeTables _tables = null!;
    private CatalogDefinitions _catalog = null!;

    private static string Id(string first17) => first17 + CheckDigits.CitizenCheck(Encoding.ASCII.GetBytes(first17));

    private static readonly string Zhang = Id("34010219800101002");
    private static readonly string Li = Id("34010419900315004");
    private static readonly string Chen = Id("34010319851010001");
    private static readonly string Wang = Id("34011119751201003");
    private static readonly string Zhao = Id("34012119881111005");

    /// <summary>An urban standard address with building, unit and room.</summary>
    private static StandardAddress Urban => SpatialSamples.Addresses.First(a => a.Room.Length > 0 && a.Status == "有效");

    /// <summary>A village standard address (group and door number only).</summary>
    private static StandardAddress Rural => SpatialSamples.Addresses.First(a => a.Room.Length == 0 && a.Status == "有效");

    /// <summary>A road no standard address has, in a real county: not resolvable to a code.</summary>
    private const string Nowhere = "合肥市蜀山区三里庵街道无此路88号";

    public async Task InitializeAsync()
    {
        var target = TestDirectories.CopyCatalog("theme-links-catalog");
        await File.WriteAllTextAsync(Path.Combine(target, "datasets", "test.person_address.yaml"), """
            name: test.person_address
            title: 测试来源
            provider: police
            share_type: conditional
            share_condition: 测试
            sensitivity: 3
            importance: important
            columns:
              - name: id_no
                type: VARCHAR
              - name: name
                type: VARCHAR
              - name: address
                type: VARCHAR
              - name: observed
                type: DATE
            """);
        _catalog = CatalogDefinitions.Load(target);
        _database = await postgres.CreateMigratedDatabaseAsync(nameof(AddressLinkTests));
        _tables = new LakeTables(_database, new LakeStorage(Path.Combine(_root, "lake")));
        await _tables.CreateTableAsync("test.person_address",
            [new("id_no", "VARCHAR"), new("name", "VARCHAR"), new("address", "VARCHAR"), new("observed", "DATE")], null, new LakeCommit("test"), CancellationToken.None);
        await AppendPeopleAsync(
            (Zhang, "张三", Urban.FullAddress, "2024-01-01"),
            // The same standard address written the way a department does: no province nor township, full-width digits.
            (Li, "李四", FullWidth(Urban.FullAddress.Replace("安徽省", string.Empty, StringComparison.Ordinal).Replace(Urban.Township, string.Empty, StringComparison.Ordinal)), "2024-01-01"),
            (Chen, "陈五", Urban.FullAddress, "2024-01-01"), // the same text as 张三's: geocoded once
            (Wang, "王五", Nowhere, "2024-01-01"),
            (Zhao, "赵六", null, "2024-01-01"));
        await CreateLibraryAsync(SpatialSamples.Addresses);
    }

    public Task DisposeAsync()
    {
        TestDirectories.Delete(_root);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_resolvable_address_gets_its_standard_code_and_an_unresolvable_one_is_unlinked_and_counted()
    {
        var theme = Theme("person_links");
        var builder = new ThemeBuilder(_tables, Path.Combine(_root, "state"));
        var result = await builder.BuildAsync(theme, "test", full: false, CancellationToken.None);
        Assert.Equal("full", result.Mode);
        Assert.Equal(3, result.AddressesGeocoded); // three distinct texts among five records; 赵六 has none
        Assert.Equal(2, result.AddressesMatched);
        Assert.NotNull(result.LibrarySnapshotId);

        var rows = await RowsAsync(theme.Table);
        foreach (var linked in new[] { Zhang, Li, Chen })
        {
            var row = rows[linked];
            Assert.Equal(Urban.Code, row["address_code"]);
            Assert.Equal("Address", row["address_match_level"]);
            Assert.Equal(Urban.CountyCode, row["address_county"]);
            Assert.Equal(Urban.TownshipCode, row["address_township"]);
            Assert.Equal(Urban.CommunityCode, row["address_community"]);
            Assert.True(double.Parse(row["address_confidence"]!, CultureInfo.InvariantCulture) >= 0.9);
        }

        Assert.Equal("1", rows[Zhang]["address_confidence"]); // the standard text itself: full confidence
        Assert.True(double.Parse(rows[Li]["address_confidence"]!, CultureInfo.InvariantCulture) < 1); // the township was missing

        var wang = rows[Wang];
        Assert.Null(wang["address_code"]);
        Assert.NotEqual("Address", wang["address_match_level"]);
        Assert.Equal("340104", wang["address_county"]); // 蜀山区 is known, the road is not
        Assert.True(double.Parse(wang["address_confidence"]!, CultureInfo.InvariantCulture) < 0.5);
        Assert.Null(rows[Zhao]["address_code"]);
        Assert.Null(rows[Zhao]["address_match_level"]); // no address at all

        // The rule counts the two unlinked people, out of all five, in the stored results and the bulletin.
        var quality = Quality(theme);
        var report = await ThemeQuality.RunAsync(quality, theme, _catalog, CancellationToken.None);
        var rule = Assert.Single(report!.Rules, r => r.RuleId == "theme.person_links.address.standard_address");
        Assert.Equal((5L, 2L, "warn", "completeness"), (rule.Checked, rule.Failed, rule.Outcome, rule.Dimension));
        var stored = await quality.GetRunAsync(report.RunId, CancellationToken.None);
        var samples = Assert.Single(stored!.Value.Rules, r => r.RuleId == rule.RuleId).Samples;
        Assert.Contains(samples, s => s.Contains(Wang, StringComparison.Ordinal) && s.Contains(Nowhere, StringComparison.Ordinal) && s.Contains("address_code=NULL", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Contains(Zhao, StringComparison.Ordinal));
        Assert.DoesNotContain(samples, s => s.Contains(Zhang, StringComparison.Ordinal));

        var now = DateTimeOffset.UtcNow;
        var bulletin = await quality.BulletinAsync(now.Year, now.Month, CancellationToken.None);
        var line = Assert.Single(bulletin.AddressLinks, r => r.Dataset == theme.Table);
        Assert.Equal((5L, 2L), (line.Checked, line.Failed));
        Assert.All(line.Examples, e => Assert.DoesNotContain(Wang, e, StringComparison.Ordinal)); // masked
        Assert.DoesNotContain(bulletin.AddressLinks, r => r.Kind != "address_link");
    }

    [Fact]
    public async Task An_incremental_build_geocodes_only_new_addresses_and_equals_a_full_one_and_a_new_library_builds_in_full()
    {
        var theme = Theme("person_links_incremental");
        var builder = new ThemeBuilder(_tables, Path.Combine(_root, "state-incremental"));
        await builder.BuildAsync(theme, "test", full: true, CancellationToken.None);

        // 王五 moves to a village standard address; 赵六 gets the address 张三 already has (no new text to geocode).
        await AppendPeopleAsync((Wang, "王五", Rural.FullAddress, "2025-06-01"), (Zhao, "赵六", Urban.FullAddress, "2025-06-01"));
        var incremental = await builder.BuildAsync(theme, "test", full: false, CancellationToken.None);
        Assert.Equal(("incremental", 2L), (incremental.Mode, incremental.Written));
        Assert.Equal((1L, 1L), (incremental.AddressesGeocoded, incremental.AddressesMatched));
        var afterIncremental = await RowsAsync(theme.Table);
        Assert.Equal(Rural.Code, afterIncremental[Wang]["address_code"]);
        Assert.Equal(Rural.TownshipCode, afterIncremental[Wang]["address_township"]);
        Assert.Equal(Urban.Code, afterIncremental[Zhao]["address_code"]);
        var report = await ThemeQuality.RunAsync(Quality(theme), theme, _catalog, CancellationToken.None);
        Assert.Equal(0, Assert.Single(report!.Rules, r => r.RuleId == $"theme.{theme.Name}.address.standard_address").Failed);

        var full = await builder.BuildAsync(theme, "test", full: true, CancellationToken.None);
        Assert.Equal(3, full.AddressesGeocoded);
        Assert.Equal(Canonical(afterIncremental), Canonical(await RowsAsync(theme.Table)));

        // A new snapshot of the standard address library links everything again: the next build is a full one.
        await CreateLibraryAsync(SpatialSamples.Addresses.Take(50).ToList());
        var relinked = await builder.BuildAsync(theme, "test", full: false, CancellationToken.None);
        Assert.Equal("full", relinked.Mode);
    }

    [Fact]
    public void Only_a_varchar_field_is_geocoded_and_link_columns_may_not_collide()
    {
        var file = Path.Combine(_root, "bad.yaml");
        File.WriteAllText(file, """
            name: bad
            title: 坏
            table: theme.bad
            key: {field: citizen_id, kind: citizen_id}
            sources:
              - id: police
                dataset: test.person_address
                key: id_no
                fields: {address: address, observed: observed, address_code: name}
            fields:
              - {name: address, type: VARCHAR, priority: [police], standard_address: address}
              - {name: observed, type: DATE, priority: [police], standard_address: seen}
              - {name: address_code, type: VARCHAR, priority: [police]}
            """);
        var error = Assert.Throws<ThemeDefinitionException>(() => ThemeDefinitionLoader.Load(file, _catalog));
        Assert.Contains(error.Problems, p => p.Contains("fields[1].standard_address: only a VARCHAR field", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("link column 'address_code' is already a column", StringComparison.Ordinal));
    }

    private ThemeDefinition Theme(string name)
    {
        var file = Path.Combine(_root, name + ".yaml");
        File.WriteAllText(file, $$"""
            name: {{name}}
            title: 人员
            table: theme.{{name}}
            key: {field: citizen_id, kind: citizen_id}
            sources:
              - id: police
                dataset: test.person_address
                key: id_no
                observed_at: observed
                fields: {name: name, residence_address: address}
            fields:
              - {name: name, type: VARCHAR, priority: [police]}
              - {name: residence_address, type: VARCHAR, pick: recency, priority: [police], conflicts: false, standard_address: address}
            """);
        return ThemeDefinitionLoader.Load(file, _catalog);
    }

    private QualityService Quality(ThemeDefinition theme)
    {
        var rules = Path.Combine(_root, "rules-" + theme.Name);
        Directory.CreateDirectory(rules);
        File.WriteAllText(Path.Combine(rules, "links.yaml"), $"""
            rules:
              - id: theme.{theme.Name}.address.standard_address
                dataset: {theme.Table}
                column: address_code
                kind: address_link
                columns: [residence_address, address_match_level]
            """);
        return new QualityService(_database, _tables, _catalog, RuleFileLoader.LoadDirectory(rules, _catalog), null, [ThemeQuality.Describe(theme, _catalog)]);
    }

    private async Task AppendPeopleAsync(params (string Id, string Name, string? Address, string Observed)[] people)
    {
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        duck.Execute("CREATE TABLE people (id_no VARCHAR, name VARCHAR, address VARCHAR, observed DATE)");
        using (var appender = duck.CreateAppender("people"))
        {
            foreach (var (id, name, address, observed) in people)
            {
                appender.Append(id).Append(name);
                (address is null ? appender.AppendNull() : appender.Append(address)).Append(DateOnly.Parse(observed, CultureInfo.InvariantCulture)).EndRow();
            }
        }

        await _tables.AppendAsync(duck, "test.person_address", "SELECT * FROM people", new LakeCommit("test"), CancellationToken.None);
    }

    /// <summary>Writes the standard addresses as the lake table the library loads (a new snapshot when it exists).</summary>
    private async Task CreateLibraryAsync(IReadOnlyList<StandardAddress> addresses)
    {
        string[] text = ["address_code", "full_address", "county", "township", "community", "road", "door_no", "estate", "building", "unit", "room", "division", "township_code", "community_code"];
        if (!await _tables.ExistsAsync(StandardAddressLibrary.Dataset))
        {
            await _tables.CreateTableAsync(StandardAddressLibrary.Dataset,
                [.. text.Select(c => new LakeColumnDefinition(c, "VARCHAR")), new("longitude", "DOUBLE"), new("latitude", "DOUBLE"), new("status", "VARCHAR")],
                ["address_code"], new LakeCommit("test"), CancellationToken.None);
        }

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

        await _tables.OverwriteAsync(duck, StandardAddressLibrary.Dataset, "SELECT * FROM library", new LakeCommit("test"), CancellationToken.None);
    }

    private static string FullWidth(string text) => string.Concat(text.Select(c => char.IsAsciiDigit(c) ? (char)(c - '0' + '０') : c));

    private static IEnumerable<string> Canonical(Dictionary<string, Dictionary<string, string?>> rows) =>
        rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => string.Join('|', r.Value
            .Where(k => !k.Key.EndsWith("__snapshot", StringComparison.Ordinal)).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")));

    private async Task<Dictionary<string, Dictionary<string, string?>>> RowsAsync(string table)
    {
        var scan = await _tables.ScanAsync(table);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT * FROM ({scan.Sql})";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, Dictionary<string, string?>>();
        while (reader.Read())
        {
            var row = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            rows[row["citizen_id"]!] = row;
        }

        return rows;
    }
}
