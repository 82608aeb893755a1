using DataHub.Catalog.Postgres;
using Npgsql;

namespace DataHub.Catalog.Tests;

[Collection(PostgresTestGroup.Name)]
public sealed class MigratorTests(PostgresFixture fixture)
{
    private static readonly string[] CatalogTables =
        ["api_key", "app_user", "audit_log", "code_set", "code_value", "column_lineage", "data_element", "data_file", "dataset", "dataset_column", "department", "exchange_decision", "exchange_delivery", "exchange_demand", "exchange_demand_event", "exchange_grant", "exchange_request", "grade", "ingest_rejection", "ingest_run", "lake_file", "lake_schema", "lake_snapshot", "lake_table", "lineage_event", "lineage_node", "lineage_run", "pipeline_input", "pipeline_state", "quality_result", "quality_run", "quarantine_resolution", "schema_version", "subject_node"];

    [Fact]
    public void Scripts_are_embedded_and_numbered_from_one()
    {
        Assert.NotEmpty(Migrator.Scripts);
        Assert.Equal(1, Migrator.Scripts[0].Version);
        Assert.Equal("catalog", Migrator.Scripts[0].Name);
        Assert.Contains("CREATE TABLE datahub.dataset", Migrator.Scripts[0].Sql, StringComparison.Ordinal);
        Assert.Equal(Migrator.Scripts.Select(s => s.Version).Order(), Migrator.Scripts.Select(s => s.Version));
    }

    [Fact]
    public async Task Applies_every_script_once_and_then_nothing()
    {
        var dataSource = await fixture.CreateDatabaseAsync("migrate_once");

        Assert.Equal(Migrator.Scripts.Count, await Migrator.ApplyAsync(dataSource, null, CancellationToken.None));
        Assert.Equal(0, await Migrator.ApplyAsync(dataSource, null, CancellationToken.None));

        Assert.Equal(CatalogTables, await TablesAsync(dataSource));
        await using var versions = dataSource.CreateCommand("SELECT version, name FROM datahub.schema_version ORDER BY version");
        await using var reader = await versions.ExecuteReaderAsync();
        var recorded = new List<(int, string)>();
        while (await reader.ReadAsync())
        {
            recorded.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        Assert.Equal(Migrator.Scripts.Select(s => (s.Version, s.Name)), recorded);
    }

    [Fact]
    public async Task Concurrent_appliers_apply_each_script_exactly_once()
    {
        var dataSource = await fixture.CreateDatabaseAsync("migrate_race");
        var connectionString = dataSource.ConnectionString;
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            var counts = await Task.WhenAll(sources.Select(s => Task.Run(() => Migrator.ApplyAsync(s, null, CancellationToken.None))));

            Assert.Equal(Migrator.Scripts.Count, counts.Sum());
            Assert.Equal(CatalogTables, await TablesAsync(dataSource));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_schema_enforces_the_domain_constraints()
    {
        var dataSource = await fixture.CreateMigratedDatabaseAsync("migrate_checks");
        await using (var setup = dataSource.CreateCommand(
            "INSERT INTO datahub.department (code, name, kind) VALUES ('water', '市水务集团', 'utility')"))
        {
            await setup.ExecuteNonQueryAsync();
        }

        // Unknown share type, conditional sharing without its condition, sensitivity 5, an absolute file path.
        string[] invalid =
        [
            "INSERT INTO datahub.dataset (name, title, provider_code, share_type, sensitivity, importance) VALUES ('a.b', 't', 'water', 'sometimes', 1, 'general')",
            "INSERT INTO datahub.dataset (name, title, provider_code, share_type, sensitivity, importance) VALUES ('a.b', 't', 'water', 'conditional', 1, 'general')",
            "INSERT INTO datahub.dataset (name, title, provider_code, share_type, sensitivity, importance) VALUES ('a.b', 't', 'water', 'unconditional', 5, 'general')",
            "INSERT INTO datahub.subject_node (level, code, name) VALUES (2, 'L2.orphan', 'orphan')",
        ];
        foreach (var sql in invalid)
        {
            await using var command = dataSource.CreateCommand(sql);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        }
    }

    private static async Task<List<string>> TablesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'datahub' ORDER BY table_name COLLATE \"C\"");
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
