using System.Text;
using DataHub.Catalog;
using DataHub.Catalog.Tests;
using DataHub.DuckDb;
using DataHub.Lake;
using DataHub.Lake.Tables;
using DataHub.Quality.Functions;
using DataHub.Themes.Definitions;
using DataHub.Themes.Fusion;

namespace DataHub.Themes.Tests;

/// <summary>Golden records from two small sources in a real lake: priority, recency, provenance, conflicts, normalised keys.</summary>
[Collection(PostgresTestGroup.Name)]
public sealed class FusionTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _root = TestDirectories.Create("themes");
    private LakeTables _tables = null!;
    private CatalogDefinitions _catalog = null!;

    private static string Id(string first17) => first17 + CheckDigits.CitizenCheck(Encoding.ASCII.GetBytes(first17));

    private static readonly string Zhang = Id("34010219800101002");
    private static readonly string Li = Id("34010419900315004");
    private static readonly string Wang = Id("34011119751201003");

    public async Task InitializeAsync()
    {
        var source = CatalogDefinitions.FindDirectory();
        var target = Path.Combine(_root, "catalog");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        foreach (var (name, provider, extra) in new[] { ("test.police_person", "police", "registered_on"), ("test.hrss_person", "civil", "enrolled_on") })
        {
            await File.WriteAllTextAsync(Path.Combine(target, "datasets", name + ".yaml"), $"""
                name: {name}
                title: 测试来源
                provider: {provider}
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
                  - name: kind
                    type: VARCHAR
                  - name: {extra}
                    type: DATE
                """);
        }

        _catalog = CatalogDefinitions.Load(target);
        var database = await postgres.CreateMigratedDatabaseAsync(nameof(FusionTests));
        _tables = new LakeTables(database, new LakeStorage(Path.Combine(_root, "lake")));
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        var police = new LakeColumnDefinition[] { new("id_no", "VARCHAR"), new("name", "VARCHAR"), new("address", "VARCHAR"), new("kind", "VARCHAR"), new("registered_on", "DATE") };
        await _tables.CreateTableAsync("test.police_person", police, null, new LakeCommit("test"), CancellationToken.None);
        var hrss = new LakeColumnDefinition[] { new("id_no", "VARCHAR"), new("name", "VARCHAR"), new("address", "VARCHAR"), new("kind", "VARCHAR"), new("enrolled_on", "DATE") };
        await _tables.CreateTableAsync("test.hrss_person", hrss, null, new LakeCommit("test"), CancellationToken.None);
        var fullWidthLi = string.Concat(Li.Select(c => char.IsAsciiDigit(c) ? (char)(c - '0' + '０') : c));
        await _tables.AppendAsync(duck, "test.police_person", $"""
            SELECT * FROM (VALUES
                ('{Zhang}', '张三', '合肥市蜀山区三里庵街道长江西路100号', 'resident', DATE '2010-05-01'),
                ('{fullWidthLi}', '李四', '合肥市包河区望湖街道徽州大道1号', 'resident', DATE '2015-01-01'),
                ('{Wang[..6] + Wang[8..17]}', '王五', NULL, 'resident', DATE '2001-01-01'),
                ('not-an-id', '无名', '某处', 'resident', DATE '2020-01-01'),
                ('{Zhang}', '张三丰', '旧地址', 'former', DATE '1999-01-01')) AS t(id_no, name, address, kind, registered_on)
            """, new LakeCommit("test"), CancellationToken.None);
        await _tables.AppendAsync(duck, "test.hrss_person", $"""
            SELECT * FROM (VALUES
                ('{Zhang.ToLowerInvariant()}', '张三', '合肥市蜀山区稻香村街道新地址8号', 'worker', DATE '2024-03-01'),
                (' {Li} ', '李 四', NULL, 'worker', DATE '2020-06-01'),
                ('{Wang}', '王五', '合肥市庐阳区双岗街道阜南路5号', 'worker', DATE '2019-01-01')) AS t(id_no, name, address, kind, enrolled_on)
            """, new LakeCommit("test"), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        TestDirectories.Delete(_root);
        return Task.CompletedTask;
    }

    private ThemeDefinition Theme(string fields)
    {
        var file = Path.Combine(_root, "person.yaml");
        File.WriteAllText(file, $"""
            name: person
            title: 人员
            table: theme.person
            key: {"{"}field: citizen_id, kind: citizen_id{"}"}
            sources:
              - id: police
                dataset: test.police_person
                key: id_no
                observed_at: registered_on
                where: {"{"}kind: resident{"}"}
                fields: {"{"}name: name, address: address{"}"}
              - id: hrss
                dataset: test.hrss_person
                key: id_no
                observed_at: enrolled_on
                fields: {"{"}name: name, address: address{"}"}
            fields:
            {fields}
            """);
        return ThemeDefinitionLoader.Load(file, _catalog);
    }

    [Fact]
    public async Task Fields_follow_their_priority_or_recency_keep_provenance_and_disagreements_are_conflicts()
    {
        var theme = Theme("""
              - {name: name, type: VARCHAR, pick: priority, priority: [police, hrss]}
              - {name: address, type: VARCHAR, pick: recency, priority: [police, hrss]}
            """);
        var result = await new ThemeBuilder(_tables, Path.Combine(_root, "state")).BuildAsync(theme, "test", full: true, CancellationToken.None);

        Assert.Equal(3, result.Records); // 张三, 李四 (full-width in one source, spaced in the other), 王五 (15 digits in one source)
        var police = Assert.Single(result.Sources, s => s.Id == "police");
        Assert.Equal(4, police.Rows);         // the 'former' row is not selected
        Assert.Equal(1, police.InvalidKeys);  // not-an-id

        var rows = await RowsAsync("theme.person");
        var zhang = rows[Zhang];
        Assert.Equal("张三", zhang["name"]);                         // police first
        Assert.Equal("police", zhang["name__source"]);
        Assert.Equal("合肥市蜀山区稻香村街道新地址8号", zhang["address"]); // the newer address (hrss, 2024) wins
        Assert.Equal("hrss", zhang["address__source"]);
        Assert.Equal("hrss,police", zhang["sources"]);
        Assert.Equal("李四", rows[Li]["name"]);
        Assert.Equal("合肥市包河区望湖街道徽州大道1号", rows[Li]["address"]); // only one source has it
        Assert.Equal("合肥市庐阳区双岗街道阜南路5号", rows[Wang]["address"]);
        Assert.Equal("police", rows[Wang]["name__source"]);
        Assert.NotNull(rows[Wang]["name__snapshot"]);

        var conflicts = await RowsAsync("theme.person_conflicts", "key");
        Assert.Contains(conflicts.Values, c => c["key"] == Zhang && c["field"] == "address" && c["chosen_source"] == "hrss");
        Assert.Contains(conflicts.Values, c => c["key"] == Li && c["field"] == "name"); // 李四 vs 李 四
        Assert.DoesNotContain(conflicts.Values, c => c["key"] == Wang && c["field"] == "name");

        // A rebuild over the same sources gives the same records.
        await new ThemeBuilder(_tables, Path.Combine(_root, "state")).BuildAsync(theme, "test", full: true, CancellationToken.None);
        Assert.Equal(rows.Select(r => string.Join('|', r.Value.OrderBy(k => k.Key).Select(k => k.Key.EndsWith("__snapshot", StringComparison.Ordinal) ? "" : k.Value))),
            (await RowsAsync("theme.person")).Select(r => string.Join('|', r.Value.OrderBy(k => k.Key).Select(k => k.Key.EndsWith("__snapshot", StringComparison.Ordinal) ? "" : k.Value))));
    }

    [Fact]
    public async Task An_incremental_build_from_the_change_feed_equals_a_full_build()
    {
        var theme = Theme("""
              - {name: name, type: VARCHAR, pick: priority, priority: [police, hrss]}
              - {name: address, type: VARCHAR, pick: recency, priority: [police, hrss]}
            """) with { Name = "person_incremental", Table = "theme.person_incremental" };
        // Deltas however large (these tables are tiny): the merged reads are what is compared with the full build.
        var builder = new ThemeBuilder(_tables, Path.Combine(_root, "state-incremental")) { DeltaFoldFraction = 100 };
        var first = await builder.BuildAsync(theme, "test", full: false, CancellationToken.None);
        Assert.Equal("full", first.Mode); // nothing to continue from

        var nothing = await builder.BuildAsync(theme, "test", full: false, CancellationToken.None);
        Assert.Equal(("incremental", 0L), (nothing.Mode, nothing.Written));

        // Changes: a new person in hrss, 王五's police row deleted, 李四 moves (newer hrss row), an invalid key arrives.
        var zhao = Id("34012119881111005");
        using (var duck = new DuckDbConnection("Data Source=:memory:"))
        {
            duck.Open();
            await _tables.AppendAsync(duck, "test.hrss_person", $"""
                SELECT * FROM (VALUES
                    ('{zhao}', '赵六', '合肥市瑶海区明光路街道胜利路9号', 'worker', DATE '2025-01-01'),
                    ('{Li}', '李四', '合肥市包河区滨湖世纪社区新居2号', 'worker', DATE '2026-01-01'),
                    ('bad', '坏', '坏', 'worker', DATE '2026-01-01')) AS t(id_no, name, address, kind, enrolled_on)
                """, new LakeCommit("test"), CancellationToken.None);
            await _tables.DeleteAsync(duck, "test.police_person", "name = '王五'", new LakeCommit("test"), CancellationToken.None);
        }

        var incremental = await builder.BuildAsync(theme, "test", full: false, CancellationToken.None);
        Assert.Equal("incremental", incremental.Mode);
        Assert.Equal(3, incremental.Written); // 赵六, 李四, 王五 — not 张三
        var afterIncremental = await RowsAsync("theme.person_incremental");
        var conflictsIncremental = await RowsAsync("theme.person_incremental_conflicts", "key");
        Assert.Equal("合肥市包河区滨湖世纪社区新居2号", afterIncremental[Li]["address"]);
        Assert.Equal("hrss", afterIncremental[Wang]["name__source"]); // police no longer has him
        Assert.Equal("赵六", afterIncremental[zhao]["name"]);
        // The touched keys' records went to a delta merged on read: the full build's file stays, the count is right.
        var files = await _tables.FilesAsync("theme.person_incremental");
        Assert.Single(files, f => f.Delta);
        Assert.Contains(files, f => !f.Delta && f.AddedSnapshot == first.SnapshotId);
        Assert.Equal(afterIncremental.Count, (await _tables.ScanAsync("theme.person_incremental")).RowCount);
        Assert.Equal(incremental.Records, afterIncremental.Count);

        var full = await builder.BuildAsync(theme, "test", full: true, CancellationToken.None);
        Assert.Equal("full", full.Mode);
        Assert.Equal(incremental.Records, full.Records);
        // Values and sources are identical. The snapshot is the one each value was read at: a full build reads every
        // value at the sources' current snapshots, an incremental one re-reads only what changed.
        static IEnumerable<string> Canonical(Dictionary<string, Dictionary<string, string?>> rows) =>
            rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => string.Join('|', r.Value
                .Where(k => !k.Key.EndsWith("__snapshot", StringComparison.Ordinal)).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")));
        Assert.Equal(Canonical(afterIncremental), Canonical(await RowsAsync("theme.person_incremental")));
        Assert.DoesNotContain(await _tables.FilesAsync("theme.person_incremental"), f => f.Delta); // a full build writes one file
        Assert.Equal(conflictsIncremental.Values.Select(c => $"{c["key"]}/{c["field"]}/{c["values"]}").Order(), (await RowsAsync("theme.person_incremental_conflicts", "key")).Values.Select(c => $"{c["key"]}/{c["field"]}/{c["values"]}").Order());
    }

    [Fact]
    public async Task Mapped_concatenated_and_constant_values_are_candidates_and_an_unlisted_value_is_none()
    {
        var file = Path.Combine(_root, "derived.yaml");
        File.WriteAllText(file, """
            name: derived
            title: 派生
            table: theme.derived
            key: {field: citizen_id, kind: citizen_id}
            sources:
              - id: police
                dataset: test.police_person
                key: id_no
                where: {kind: resident}
                fields: {label: {value: 户籍登记}, summary: {concat: [name, kind]}, status: {column: kind, map: {resident: 居民}}}
              - id: hrss
                dataset: test.hrss_person
                observed_at: enrolled_on
                each:
                  - {key: id_no, fields: {label: {column: kind, map: {worker: 参保职工}}, status: {column: kind, map: {retired: 退休}}}}
            fields:
              - {name: label, type: VARCHAR, priority: [police, hrss]}
              - {name: summary, type: VARCHAR, priority: [police]}
              - {name: status, type: VARCHAR, priority: [hrss, police]}
            """);
        var theme = ThemeDefinitionLoader.Load(file, _catalog);
        await new ThemeBuilder(_tables, Path.Combine(_root, "state-derived")).BuildAsync(theme, "test", full: true, CancellationToken.None);
        var rows = await RowsAsync("theme.derived");
        Assert.Equal(("户籍登记", "police"), (rows[Zhang]["label"], rows[Zhang]["label__source"]));
        Assert.Equal("张三 resident", rows[Zhang]["summary"]);
        // hrss writes 'worker', which its status map does not list: no hrss candidate, so police's mapped value wins.
        Assert.Equal(("居民", "police"), (rows[Zhang]["status"], rows[Zhang]["status__source"]));
        var conflicts = await RowsAsync("theme.derived_conflicts", "key");
        Assert.Contains(conflicts.Values, c => c["key"] == Zhang && c["field"] == "label" && c["values"] == "参保职工 | 户籍登记");
        Assert.DoesNotContain(conflicts.Values, c => c["field"] == "status");
    }

    [Fact]
    public void Definitions_are_checked_against_the_catalog_with_every_problem_named()
    {
        var error = Assert.Throws<ThemeDefinitionException>(() => Theme("""
              - {name: name, type: VARCHAR, pick: newest, priority: [police, tax]}
              - {name: address, type: TEXT; DROP, priority: [hrss]}
            """));
        Assert.Contains(error.Problems, p => p.Contains("pick: 'newest' is not priority or recency", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("priority: 'tax' is not a source of this theme", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("fields[1].type", StringComparison.Ordinal));
        Assert.All(error.Problems, p => Assert.Matches(@"person\.yaml:\d+: ", p));
    }

    private async Task<Dictionary<string, Dictionary<string, string?>>> RowsAsync(string table, string key = "citizen_id")
    {
        var scan = await _tables.ScanAsync(table);
        using var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT * FROM ({scan.Sql})";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, Dictionary<string, string?>>();
        var n = 0;
        while (reader.Read())
        {
            var row = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
            rows[key == "key" ? $"{row["key"]}/{row["field"]}/{n++}" : row[key]!] = row;
        }

        return rows;
    }
}
