using System.Globalization;
using DataHub.DuckDb;
using DataHub.Host.Platform;
using DataHub.Lake.Tables;

namespace DataHub.Host.Cli;

/// <summary>The verbs over lake tables: <c>sql</c> and <c>table history|compact|expire|sweep</c>.</summary>
internal static class LakeCommands
{
    public const string SqlHelp = """
        datahub sql "<query>" [--as-of <snapshot|timestamp>] [--format table|csv|json] [--home <dir>]

        Runs a DuckDB query over the lake's tables, named as in the catalog (e.g. water.meter_reading_daily).
          --as-of <x>      read every table as of a snapshot id (its commit time) or an ISO-8601 timestamp
          --format <f>     table (default; first 1,000 rows), csv or json (all rows)
        """;

    public const string TableHelp = """
        datahub table history <table>
        datahub table compact <table>
        datahub table expire --older-than <duration>
        datahub table sweep [--grace <duration>]

        history   the table's snapshots, newest first: id, time, operation, rows added and removed, author, message
        compact   rewrite the table's small files into one; older snapshots stay readable
        expire    drop snapshots older than the duration (90s, 30m, 12h, 7d, 2w) — never a table's current
                  one — and delete the files no remaining snapshot reads
        sweep     delete Parquet files no snapshot references (leftovers of crashed writers) older than
                  --grace (default 1h, which protects writes in flight)
        """;

    public static async Task<int> SqlAsync(DataHubPlatform platform, CommandLine options, TextWriter output, CancellationToken ct)
    {
        if (options.Positional.Count != 1)
        {
            await output.WriteLineAsync("datahub sql: give exactly one query, in quotes.\n\n" + SqlHelp);
            return 2;
        }

        var version = options.Value("as-of") is { } asOf ? LakeVersion.Parse(asOf) : LakeVersion.Current;
        var format = options.Value("format") ?? "table";
        using var duck = new DuckDbConnection($"Data Source=:memory:;Temp Directory={Path.Combine(platform.Settings.Home, "tmp")}");
        duck.Open();
        await platform.Tables.CreateViewsAsync(duck, version, ct);
        using var command = new DuckDbCommand(options.Positional[0], duck);
        using var registration = ct.Register(command.Cancel);
        using var reader = command.ExecuteReader();
        await ResultWriter.WriteAsync(reader, format, output, ct);
        return 0;
    }

    public static async Task<int> TableAsync(DataHubPlatform platform, CommandLine options, TextWriter output, CancellationToken ct)
    {
        var action = options.Positional.Count > 0 ? options.Positional[0] : null;
        var table = options.Positional.Count > 1 ? options.Positional[1] : null;
        var author = new LakeCommit(Environment.UserName, "datahub table " + action);
        switch (action)
        {
            case "history" when table is not null:
                foreach (var s in await platform.Tables.HistoryAsync(table, ct))
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{s.Id,8}  {s.CommittedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}  {s.Operation,-9} +{s.RowsAdded,-10:N0} -{s.RowsRemoved,-10:N0} {s.Author}  {s.Message}"));
                }

                return 0;
            case "compact" when table is not null:
                var compacted = await platform.Tables.CompactAsync(table, author, ct);
                await output.WriteLineAsync(compacted is null
                    ? $"{table}: fewer than two small files, nothing to compact."
                    : $"{table}: snapshot {compacted.Snapshot.Id} replaced {compacted.FilesRemoved} files with {compacted.FilesAdded.Count}.");
                return 0;
            case "expire":
                var olderThan = DurationParser.Parse(options.Value("older-than") ?? throw new ArgumentException("datahub table expire needs --older-than <duration>."), "older-than");
                var expired = await platform.Tables.ExpireAsync(DateTimeOffset.UtcNow - olderThan, ct);
                await output.WriteLineAsync($"Expired {expired.SnapshotsExpired} snapshot(s) older than {olderThan}; deleted {expired.FilesDeleted.Count} file(s) no snapshot reads.");
                foreach (var file in expired.FilesDeleted)
                {
                    await output.WriteLineAsync("  " + file);
                }

                return 0;
            case "sweep":
                var grace = options.Value("grace") is { } g ? DurationParser.Parse(g, "grace") : TimeSpan.FromHours(1);
                var swept = await platform.Tables.SweepAsync(grace, ct);
                await output.WriteLineAsync($"Deleted {swept.FilesDeleted.Count} unreferenced file(s) older than {grace}.");
                foreach (var file in swept.FilesDeleted)
                {
                    await output.WriteLineAsync("  " + file);
                }

                return 0;
            default:
                await output.WriteLineAsync(TableHelp);
                return 2;
        }
    }
}
