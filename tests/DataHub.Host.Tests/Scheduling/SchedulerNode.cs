using DataHub.Catalog.Postgres;
using DataHub.Host.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace DataHub.Host.Tests.Scheduling;

/// <summary>One private PostgreSQL for the scheduling tests; each test takes a fresh database with the catalog migrations applied.</summary>
public sealed class SchedulerDatabaseFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("datahub-quartz-").FullName;
    private int _databases;

    public PrivatePostgres Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await PrivatePostgres.StartAsync(Path.Combine(_root, "pg"), new PrivatePostgresOptions { Ephemeral = true });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Creates a database, migrates it (which creates the <c>quartz</c> schema) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}";
        await using (var admin = new NpgsqlConnection(Server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = Server.ConnectionStringFor(name);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await Migrator.ApplyAsync(dataSource, null, CancellationToken.None);
        return connectionString;
    }
}

[CollectionDefinition(Name)]
public sealed class SchedulerTestGroup : ICollectionFixture<SchedulerDatabaseFixture>
{
    public const string Name = "quartz cluster";
}

/// <summary>
/// A Quartz cluster node configured exactly as <c>datahub serve</c> configures its scheduler
/// (<see cref="DataHubScheduling.ConfigureNode"/>), carrying the jobs a test declares instead of DataHub's.
/// </summary>
internal sealed class SchedulerNode : IAsyncDisposable
{
    private readonly StandaloneSchedulerFactory _factory;

    private SchedulerNode(StandaloneSchedulerFactory factory, IScheduler scheduler)
    {
        _factory = factory;
        Scheduler = scheduler;
    }

    public IScheduler Scheduler { get; }

    public string InstanceId => Scheduler.SchedulerInstanceId;

    /// <summary>
    /// Builds a node (declaring its jobs in the database) and, unless told otherwise, starts it. Only a test that has
    /// to see a firing misfire passes a misfire threshold shorter than DataHub's.
    /// </summary>
    public static async Task<SchedulerNode> CreateAsync(string connectionString, FiringLog log, Action<IQuartzBuilder> declare, bool start = true, TimeSpan? misfireThreshold = null)
    {
        var factory = QuartzSchedulerBuilder.Create(q =>
        {
            DataHubScheduling.ConfigureNode(q, connectionString, misfireThreshold ?? DataHubScheduling.MisfireThreshold);
            q.Services.AddSingleton(log);
            declare(q);
        }).Build();
        var scheduler = await factory.GetScheduler();
        if (start)
        {
            await scheduler.Start();
        }

        return new SchedulerNode(factory, scheduler);
    }

    /// <summary>Shuts the node down cleanly, letting running jobs finish.</summary>
    public async Task StopAsync()
    {
        if (Scheduler.Status != SchedulerStatus.Shutdown)
        {
            await Scheduler.Shutdown(waitForJobsToComplete: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _factory.DisposeAsync();
    }
}

/// <summary>One execution of a test job: which node ran which scheduled firing, and when.</summary>
internal sealed record Firing(string Job, string Node, DateTimeOffset Scheduled, DateTimeOffset Started, DateTimeOffset Ended);

/// <summary>Where the test jobs record their executions: a table in the test's database.</summary>
internal sealed class FiringLog : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private FiringLog(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public static async Task<FiringLog> CreateAsync(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var create = dataSource.CreateCommand("""
            CREATE TABLE test_firing (
                id         bigserial PRIMARY KEY,
                job        text NOT NULL,
                node       text NOT NULL,
                scheduled  timestamptz NOT NULL,
                started    timestamptz NOT NULL,
                ended      timestamptz NOT NULL
            )
            """);
        await create.ExecuteNonQueryAsync();
        return new FiringLog(dataSource);
    }

    public async Task RecordAsync(IJobExecutionContext context, DateTimeOffset started)
    {
        await using var insert = _dataSource.CreateCommand("INSERT INTO test_firing (job, node, scheduled, started, ended) VALUES ($1, $2, $3, $4, $5)");
        insert.Parameters.Add(new NpgsqlParameter { Value = context.JobDetail.Key.Name });
        insert.Parameters.Add(new NpgsqlParameter { Value = context.Scheduler.SchedulerInstanceId });
        insert.Parameters.Add(new NpgsqlParameter { Value = context.ScheduledFireTimeUtc ?? throw new InvalidOperationException("A triggered firing has a scheduled time.") });
        insert.Parameters.Add(new NpgsqlParameter { Value = started });
        insert.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow });
        await insert.ExecuteNonQueryAsync(CancellationToken.None);
    }

    public async Task<IReadOnlyList<Firing>> ReadAsync(string job)
    {
        var firings = new List<Firing>();
        await using var select = _dataSource.CreateCommand("SELECT job, node, scheduled, started, ended FROM test_firing WHERE job = $1 ORDER BY started, id");
        select.Parameters.Add(new NpgsqlParameter { Value = job });
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            firings.Add(new Firing(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return firings;
    }

    /// <summary>Polls the log until the condition holds or the time is up (then returns what it has; the caller asserts).</summary>
    public async Task<IReadOnlyList<Firing>> WaitForAsync(string job, Func<IReadOnlyList<Firing>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var firings = await ReadAsync(job);
            if (condition(firings) || DateTime.UtcNow > deadline)
            {
                return firings;
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();
}

/// <summary>Records each firing as it starts.</summary>
internal sealed class RecordingJob(FiringLog log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await log.RecordAsync(context, DateTimeOffset.UtcNow);
}

/// <summary>Runs longer than its trigger's interval and must never overlap itself, on any node.</summary>
[DisallowConcurrentExecution]
internal sealed class SlowNonConcurrentJob(FiringLog log) : IJob
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(2.5);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        await Task.Delay(Duration, CancellationToken.None);
        await log.RecordAsync(context, started);
    }
}
