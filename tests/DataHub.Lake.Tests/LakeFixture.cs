using DataHub.Catalog.Tests;
using DataHub.DuckDb;
using DataHub.Lake;
using DataHub.Lake.Tables;
using Npgsql;

namespace DataHub.Lake.Tests;

/// <summary>A migrated catalog database and an empty lake directory for one test class.</summary>
public abstract class LakeTestBase : IAsyncLifetime, IDisposable
{
    private readonly PostgresFixture _postgres;

    protected LakeTestBase(PostgresFixture postgres) => _postgres = postgres;

    protected NpgsqlDataSource Catalog { get; private set; } = null!;

    protected string LakeRoot { get; } = TestDirectories.Create("lake");

    protected LakeTables Tables { get; private set; } = null!;

    protected DuckDbConnection Duck { get; } = OpenDuck();

    protected static LakeCommit By(string message) => new("test", message);

    public async Task InitializeAsync()
    {
        Catalog = await _postgres.CreateMigratedDatabaseAsync(GetType().Name);
        Tables = NewTables();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Duck.Dispose();
        TestDirectories.Delete(LakeRoot);
        GC.SuppressFinalize(this);
    }

    protected LakeTables NewTables() => new(Catalog, new LakeStorage(LakeRoot));

    protected Task<LakeTableInfo> CreateReadingsAsync(string name = "water.readings") =>
        Tables.CreateTableAsync(name,
            [new("account_no", "VARCHAR"), new("day", "DATE"), new("usage", "DECIMAL(10,2)"), new("meter", "INTEGER")],
            ["account_no", "day"], By("create"));

    /// <summary>Rows of a table at a version, as "account|day|usage|…" strings in key order.</summary>
    protected async Task<List<string>> RowsAsync(string name, LakeVersion version = default)
    {
        var scan = await Tables.ScanAsync(name, version);
        using var command = new DuckDbCommand($"SELECT * FROM ({scan.Sql}) ORDER BY ALL", Duck);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : reader.GetString(i))));
        }

        return rows;
    }

    protected static string Values(params string[] rows) =>
        "SELECT * FROM (VALUES " + string.Join(", ", rows) + ") v(account_no, day, usage, meter)";

    private static DuckDbConnection OpenDuck()
    {
        var duck = new DuckDbConnection("Data Source=:memory:");
        duck.Open();
        return duck;
    }
}
