using System.Globalization;
using DataHub.Catalog;
using DataHub.Catalog.Postgres;
using DataHub.Host.Bench;
using DataHub.Host.Platform;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DataHub.Host.Cli;

/// <summary>The <c>datahub</c> command line: one verb per capability, each with <c>--help</c>.</summary>
public static class DataHubCli
{
    private const string Usage = """
        datahub — the city data bureau's data middle platform

        Usage: datahub <verb> [options]

        Verbs:
          demo     Everything up: PostgreSQL, catalog loaded, samples ingested, API serving.
          serve    API and pipeline scheduler.
          status   Where DataHub keeps its state, and what the catalog holds.
          sql      A DuckDB query over the lake's tables (optionally as of a snapshot or time).
          table    Lake table history, compaction, snapshot expiry and orphan sweep.
          quality  Run a dataset's quality rules (one scan) and show its score history.
          pipeline Validate, list and run ingestion pipelines; their runs, quarantine and re-submission.
          catalog  Catalog as code: apply [--dry-run], search <query>, coverage.
          bench    Benchmarks that print figures (duckdb-read, lake-commit, lineage, quality, catalog-search, ingest, export, verify, themes, geocode).
          audit    Verify the exchange's hash-chained audit log (audit verify).
          exchange Users and API keys of the sharing exchange (user add, key create|list|revoke).
          theme    The theme databases of catalog/themes/ (list, build).
          geocode  Standardise and geocode a free-text address, reverse-geocode a point, or a table's address column.
          samples  Generate source files of the samples' shapes at any scale (samples generate --rows N --out DIR).

        Run 'datahub <verb> --help' for the options of a verb.
        Environment: DATAHUB_HOME (default ./.datahub), DATAHUB_PG (use an existing PostgreSQL instead of the
        private cluster), DATAHUB_URLS, DATAHUB_ROOT (folder holding catalog/ and pipelines/),
        DATAHUB_DUCKDB_LIB (path of libduckdb.so). Every verb also takes --home <dir> in place of DATAHUB_HOME
        --pg <connection string> in place of DATAHUB_PG and --root <dir> in place of DATAHUB_ROOT.
        """;

    /// <summary>Runs a verb; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return await RunAsync(args, Console.Out, cts.Token);
    }

    /// <summary>Runs a verb with an explicit output and cancellation (used by tests).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            await output.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var verb = args[0];
        CommandLine options;
        try
        {
            options = CommandLine.Parse(args.Skip(1).ToArray());
        }
        catch (ArgumentException e)
        {
            await output.WriteLineAsync($"datahub {verb}: {e.Message}");
            return 2;
        }

        var command = verb switch
        {
            "demo" => (Func<CommandLine, TextWriter, CancellationToken, Task<int>>?)DemoAsync,
            "serve" => ServeAsync,
            "status" => StatusAsync,
            "catalog" => CatalogAsync,
            "bench" => BenchAsync,
            "samples" => SamplesCommands.RunAsync,
            "sql" => (o, w, c) => WithPlatformAsync(LakeCommands.SqlAsync, o, w, c),
            "table" => (o, w, c) => WithPlatformAsync(LakeCommands.TableAsync, o, w, c),
            "quality" => (o, w, c) => WithPlatformAsync(QualityCommands.RunAsync, o, w, c),
            "audit" => (o, w, c) => WithPlatformAsync(AuditCommands.RunAsync, o, w, c),
            "exchange" => (o, w, c) => WithPlatformAsync(ExchangeCommands.RunAsync, o, w, c),
            "theme" => (o, w, c) => WithPlatformAsync(ThemeCommands.RunAsync, o, w, c),
            "geocode" => (o, w, c) => o.Value("library") is not null
                ? GeocodeCommands.RunWithFileAsync(o, w, c)
                : WithPlatformAsync(GeocodeCommands.RunAsync, o, w, c),
            "pipeline" => (o, w, c) => o.Positional is ["validate", ..]
                ? PipelineCommands.ValidateAsync(o, w, c)
                : WithPlatformAsync(PipelineCommands.RunAsync, o, w, c),
            _ => null,
        };
        if (command is null)
        {
            await output.WriteLineAsync($"datahub: unknown verb '{verb}'.\n\n{Usage}");
            return 2;
        }

        if (options.Has("help"))
        {
            await output.WriteLineAsync(Help(verb));
            return 0;
        }

        try
        {
            return await command(options, output, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DataHub.Quality.Definitions.RuleDefinitionException or KeyNotFoundException or DataHub.DuckDb.DuckDbException or DataHub.Lake.Tables.LakeSchemaException or DataHub.Lake.Tables.LakeConflictException or PrivatePostgresException or CatalogDefinitionException or PipelineDefinitionException or IngestException or DirectoryNotFoundException or DllNotFoundException)
        {
            await output.WriteLineAsync($"datahub {verb}: {e.Message}");
            return 1;
        }
    }

    internal static string Help(string verb) => verb switch
    {
        "demo" => """
            datahub demo [--urls <url>] [--no-serve] [--no-quality]

            Starts PostgreSQL (a private cluster under $DATAHUB_HOME/pg unless DATAHUB_PG is set), applies the
            catalog migrations, loads catalog/, ingests the samples through every pipeline in pipelines/ (only
            when their dataset is still empty) and runs the quality rules of what it ingested, builds the theme
            databases of catalog/themes/ (incrementally; with their quality rules after new data), creates the
            portal's demo users with a new password (printed), then serves the portal and the API and runs the
            scheduler until Ctrl+C.
              --urls <url>   listen address (default http://127.0.0.1:5080)
              --no-serve     stop after the ingest (prints the run report)
              --no-quality   ingest and build only: no quality runs
            """,
        "serve" => """
            datahub serve [--urls <url>]

            Serves the API and runs the pipelines on their cron schedules until Ctrl+C.
              --urls <url>   listen address (default http://127.0.0.1:5080)
            """,
        "status" => """
            datahub status

            Prints the data directory, the PostgreSQL in use, the DuckDB version, and each dataset with its rows
            and files. Reuses a running private cluster; starts (and then stops) it otherwise.
            """,
        "catalog" => CatalogVerb.Help,
        "bench" => """
            datahub bench duckdb-read [--rows <n>] [--runs <n>]
            datahub bench catalog-search [--attributes <n>] [--runs <n>] [--keep]

            Streams <n> rows (default 10,000,000) of (BIGINT, DOUBLE, VARCHAR) from a DuckDB file through
            DataHub's reader and through the official Node client @duckdb/node-api on the same query, touching
            every value, and prints rows/s for each and their ratio (median of --runs, default 3).

            datahub bench lake-commit [--commits <n>] [--rows <n>]

            In a throw-away data directory (its own private PostgreSQL): <n> appends (default 50) of --rows rows
            (default 10,000) and <n> merges of 100 rows into one lake table; prints p50/p95 of the catalog
            transaction alone and of the whole write.

            datahub bench ingest [--rows <n>] [--input <file.csv>] [--runs <n>]

            Generates water readings (default 10,000,000 rows; the sample generator's shape, ~1% of each kind of dirt)
            in UTF-8 and GBK, then times DuckDB alone (COPY read_csv → zstd Parquet, UTF-8) and a pipeline run on each
            file (decode, map, type, quality gate, quarantine, one-transaction commit) on a private cluster; with
            --runs, that many rounds (default 1) and the median ratios.

            datahub bench export [--rows <n>] [--runs <n>]

            In a throw-away data directory: generates <n> water readings (default 10,000,000) into the lake, grants
            them to a department (account numbers hashed, addresses cut, a row filter covering every district), then
            exports the grant over HTTP as Parquet and as CSV and times DuckDB's own COPY of the same masked view to a
            file beside it (median of --runs, default 3). Prints rows/s, bytes, the HTTP/COPY ratio and peak memory.

            datahub bench verify [--rows <n>] [--rate <req/s>] [--seconds <n>] [--connections <n>] [--generator open|autocannon]

            In a throw-away data directory: <n> generated people (default 10,000,000) in population.household_registration,
            a verification grant on them, and the server loaded with random known and unknown ID numbers: at a fixed offered
            rate (default 2,000/s, 100 connections, --seconds 20), then unthrottled. The load is `datahub bench load` in a
            process of its own: open-loop, requests evenly spaced, each timed from when it was due (--generator autocannon
            uses npm's autocannon instead, whose rate is a per-second quota: bursts). Prints latency percentiles (goal:
            p99 < 10 ms at 2,000/s), throughput and peak memory.

            datahub bench load --url <base> --ids <file> [--path <prefix>] [--rate <req/s>] [--seconds <n>] [--connections <n>]

            The load generator of bench verify (bearer key in DATAHUB_BENCH_KEY): GET <prefix><id> for the file's ids;
            prints one JSON line of counts and latency percentiles.

            datahub bench themes [--rows <n>]

            In a throw-away data directory: four generated sources about the same people (<n> rows in all, default
            10,000,000; ID numbers in the departments' variants) fused into a population theme in full, then again
            incrementally after 1% of the rows changed. Prints both times and the ratio (goal: incremental ≤ 10%).

            datahub bench geocode [--addresses <n>] [--queries <n>] [--runs <n>] [--show-misses <n>]

            A standard address library of <n> generated addresses (default 1,000,000; the sample generator's address shape,
            real Hefei divisions) and --queries labelled free-text variants of them (default 100,000: no province,
            colloquial names, full-width digits, 号楼/幢/#, 3-2-501, short forms, spaces, planted conflicts and missing door
            numbers, each with its known answer). Prints load and index times, addresses/s on one core and on all (median
            of --runs, default 3; goal ≥ 5,000/s), the match rate per variant, wrong codes, misses that fit several
            standard addresses equally, peak memory, and with --show-misses the first <n> misses.

            datahub bench portal [--attributes <n>] [--runs <n>]

            In a throw-away data directory: the household registration and water samples ingested with a quality run,
            <n> generated L5 attributes (default 100,000) added to the catalog, the server started and a signed-in
            administrator asking for the dataset page and the other main pages over loopback, --runs times each
            (default 200). Prints time to first and last byte per page (p50/p95/p99/max; goal: dataset page < 300 ms).

            datahub bench quality [--rows <n>] [--runs <n>]

            Generates a population table (default 10,000,000 rows, 10 columns, ~1% bad values) and times, median of
            --runs (default 3): a plain scan of the columns, DataHub's quality run of 30 rules, the same metrics as
            one hand-written query, and one query per rule; prints the ratios and each rule's figures.

            datahub bench lineage [--nodes <n>] [--queries <n>] [--depth <n>]

            Generates a column lineage graph of <n> column nodes (default 100,000) in a fresh database of the
            private PostgreSQL cluster (dropped afterwards; the catalog is not touched), then walks it from random
            tables up, down and both ways to --depth (default 5), --queries times each (default 500), and prints
            p50/p95/p99 latency of the graph query.

            catalog-search generates <n> L5 attributes (default 100,000) into a fresh database of the private
            cluster (the catalog of catalog/ loaded beside them), runs each benchmark query --runs times (default
            50), and prints p50/p95 per query and overall, with a plain sequential ILIKE scan for comparison.
            --keep leaves the database for inspection.
            """,
        "sql" => LakeCommands.SqlHelp,
        "table" => LakeCommands.TableHelp,
        "quality" => QualityCommands.Help,
        "audit" => AuditCommands.Help,
        "exchange" => ExchangeCommands.Help,
        "theme" => ThemeCommands.Help,
        "geocode" => GeocodeCommands.Help,
        "pipeline" => PipelineCommands.Help,
        "samples" => SamplesCommands.Help,
        _ => Usage,
    };

    private static async Task<int> WithPlatformAsync(
        Func<DataHubPlatform, CommandLine, TextWriter, CancellationToken, Task<int>> command, CommandLine options, TextWriter output, CancellationToken ct)
    {
        var (settings, loggers) = Setup(options, quiet: true);
        using (loggers)
        {
            await using var platform = await DataHubPlatform.StartAsync(settings, loggers, ct);
            return await command(platform, options, output, ct);
        }
    }

    private static (DataHubSettings Settings, ILoggerFactory Loggers) Setup(CommandLine options, bool quiet = false)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .Build();
        var settings = DataHubSettings.From(configuration, options.Value("urls"));
        if (options.Value("home") is { } home)
        {
            settings = settings with { Home = Path.GetFullPath(home) };
        }

        if (options.Value("root") is { } root)
        {
            settings = settings with { Root = Path.GetFullPath(root) };
        }

        if (options.Value("pg") is { } pg)
        {
            settings = settings with { PostgresConnectionString = pg };
        }

        var loggers = LoggerFactory.Create(b => b
            .AddConfiguration(configuration.GetSection("Logging"))
            .SetMinimumLevel(quiet ? LogLevel.Warning : LogLevel.Information)
            .AddFilter((category, level) => !quiet || level >= LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }));
        return (settings, loggers);
    }

    private static async Task<int> DemoAsync(CommandLine options, TextWriter output, CancellationToken ct)
    {
        var (settings, loggers) = Setup(options);
        using (loggers)
        {
            await using var platform = await DataHubPlatform.StartAsync(settings, loggers, ct);
            using var runner = new Scheduling.PipelineRunner(platform, loggers);
            var ingested = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pipeline in runner.Pipelines)
            {
                var existing = await platform.Catalog.GetDatasetAsync(pipeline.Target, ct);
                if (existing is { Files.Count: > 0 })
                {
                    await output.WriteLineAsync($"{pipeline.Name}: {pipeline.Target} already holds {existing.RowCount} rows; samples not ingested again.");
                    continue;
                }

                var report = await runner.RunAsync(pipeline.Name, ct, "demo");
                await WriteReportAsync(output, pipeline.Name, report);
                ingested.Add(pipeline.Target);
            }

            // The quality of what was just ingested, so the portal's scores, ranking and bulletin have this month's runs.
            var measure = !options.Has("no-quality");
            var quality = QualityServiceFactory.Create(platform);
            foreach (var dataset in ingested.Where(_ => measure).Order(StringComparer.Ordinal))
            {
                var (run, result) = await quality.RunAsync(dataset, ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"quality {dataset}: run {run.Id}, overall {run.Scores.GetValueOrDefault("overall"):F1}, {result.Rules.Count(r => r.Outcome != DataHub.Quality.Execution.RuleOutcome.Pass)} of {result.Rules.Count} rules not passed"));
            }

            // The theme databases from what was ingested: about a second for the samples, incremental (nothing to
            // do) when the demo runs again. After new data their quality rules run too (the sources' conflicts as
            // consistency findings, the standard address links) and reach the bulletin.
            foreach (var theme in platform.Themes.Definitions)
            {
                await ThemeCommands.WriteAsync(output, measure && ingested.Count > 0
                    ? await platform.Themes.BuildAsync(theme, "demo", full: false, ct)
                    : await platform.Themes.Builder.BuildAsync(theme, "demo", full: false, ct));
            }

            if (options.Has("no-serve"))
            {
                return 0;
            }

            // A key for the demo's visitor: the data bureau's administrator, valid for a day (data previews, runs, the
            // audit chain need it; catalog metadata does not).
            var demoKey = (await platform.Identity.CreateApiKeyAsync("bureau", null, ["bureau_admin"], TimeSpan.FromDays(1), "demo", ct)).Secret;
            // The portal's demo users get a new password each time the demo starts (printed below, stored hashed).
            var password = Portal.DemoUsers.NewPassword();
            await Portal.DemoUsers.EnsureAsync(platform, password, "demo", ct);
            await using var server = await DataHubServer.StartAsync(platform, runner, scheduler: true, ct);
            await output.WriteLineAsync($"Demo API key (bureau_admin, valid 24 h, send as a bearer token): {demoKey}");
            await output.WriteLineAsync($"Portal: {(server.Addresses.Count > 0 ? server.Addresses[0] : string.Empty)}/login — users {string.Join(", ", Portal.DemoUsers.All.Select(u => u.Name))}, password for all of them this run: {password}");
            await output.WriteLineAsync($"DataHub is serving on {string.Join(", ", server.Addresses)} — try /health, /api/v1/datasets, /api/v1/datasets/water.meter_reading_daily/preview?limit=5 (with the key), /api/v1/lineage/water.meter_reading_daily, /openapi/v1.json. Ctrl+C stops.");
            await server.WaitAsync(ct);
            return 0;
        }
    }

    private static async Task<int> ServeAsync(CommandLine options, TextWriter output, CancellationToken ct)
    {
        var (settings, loggers) = Setup(options);
        using (loggers)
        {
            await using var platform = await DataHubPlatform.StartAsync(settings, loggers, ct);
            using var runner = new Scheduling.PipelineRunner(platform, loggers);
            await using var server = await DataHubServer.StartAsync(platform, runner, scheduler: true, ct);
            await output.WriteLineAsync($"DataHub is serving on {string.Join(", ", server.Addresses)} with {runner.Pipelines.Count(p => p.Schedule is not null)} scheduled pipeline(s). Ctrl+C stops.");
            await server.WaitAsync(ct);
            return 0;
        }
    }

    private static async Task<int> StatusAsync(CommandLine options, TextWriter output, CancellationToken ct)
    {
        var (settings, loggers) = Setup(options);
        using (loggers)
        {
            await using var platform = await DataHubPlatform.StartAsync(settings, loggers, ct);
            await output.WriteLineAsync($"home      {settings.Home}");
            await output.WriteLineAsync($"root      {settings.Root}");
            await output.WriteLineAsync($"postgres  {platform.PostgresDescription}");
            await output.WriteLineAsync($"duckdb    {DataHub.DuckDb.DuckDbConnection.NativeLibraryVersion}");
            var datasets = await platform.Catalog.ListDatasetsAsync(ct);
            await output.WriteLineAsync($"datasets  {datasets.Count}");
            foreach (var d in datasets)
            {
                await output.WriteLineAsync($"  {d.Name,-32} {d.RowCount,10:N0} rows {d.FileCount,4} file(s)  {d.ShareType,-13} level {d.Sensitivity}  {d.ProviderName} · {d.Title}");
            }

            var runs = await platform.Catalog.ListRecentIngestRunsAsync(10, ct);
            await output.WriteLineAsync($"runs      {(runs.Count == 0 ? "none yet" : "latest " + runs.Count)}");
            foreach (var r in runs)
            {
                await output.WriteLineAsync(
                    $"  #{r.Id,-5} {r.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}  {r.DatasetName,-32} {r.Status,-9} read {r.RowsRead ?? 0:N0}, committed {r.RowsCommitted ?? 0:N0}, quarantined {r.RowsQuarantined ?? 0:N0}");
            }

            return 0;
        }
    }

    private static async Task<int> CatalogAsync(CommandLine options, TextWriter output, CancellationToken ct)
    {
        var (settings, loggers) = Setup(options);
        using (loggers)
        {
            return await CatalogVerb.RunAsync(options, settings, loggers, output, ct);
        }
    }

    // A benchmark in a throw-away data directory with its own private PostgreSQL (or in --home when given), listening
    // on a free loopback port when it serves.
    private static async Task<int> InScratchHomeAsync(
        CommandLine options, string prefix, bool server, Func<DataHubPlatform, ILoggerFactory, Task<int>> run, CancellationToken ct)
    {
        var home = Directory.CreateTempSubdirectory(prefix).FullName;
        try
        {
            var (settings, loggers) = Setup(options, quiet: true);
            using (loggers)
            {
                settings = settings with { Home = options.Value("home") is null ? home : settings.Home };
                await using var platform = await DataHubPlatform.StartAsync(server ? settings with { Urls = "http://127.0.0.1:0" } : settings, loggers, ct);
                return await run(platform, loggers);
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<int> BenchAsync(CommandLine options, TextWriter output, CancellationToken ct)
    {
        var target = options.Positional.Count > 0 ? options.Positional[0] : null;
        if (target == "lake-commit")
        {
            return await InScratchHomeAsync(options, "datahub-bench-lake-", server: false, (platform, _) =>
                LakeCommitBenchmark.RunAsync(options.PositiveNumber("commits", 50), options.PositiveNumber("rows", 10_000), platform, output, ct), ct);
        }

        if (target == "ingest")
        {
            var home = Directory.CreateTempSubdirectory("datahub-bench-ingest-home-").FullName;
            try
            {
                var (settings, loggers) = Setup(options, quiet: true);
                using (loggers)
                {
                    await using var platform = await DataHubPlatform.StartAsync(settings with { Home = options.Value("home") is null ? home : settings.Home }, loggers, ct);
                    return await IngestBenchmark.RunAsync(platform, options.PositiveNumber("rows", 10_000_000), options.Value("input"), output, ct, options.PositiveNumber("runs", 1));
                }
            }
            finally
            {
                Directory.Delete(home, recursive: true);
            }
        }

        if (target == "export")
        {
            return await InScratchHomeAsync(options, "datahub-bench-export-home-", server: true, (platform, _) =>
                ExportBenchmark.RunAsync(platform, options.PositiveNumber("rows", 10_000_000), options.PositiveNumber("runs", 3), output, ct), ct);
        }

        if (target == "load")
        {
            var url = options.Value("url") ?? throw new ArgumentException("bench load needs --url <base address>.");
            var ids = options.Value("ids") ?? throw new ArgumentException("bench load needs --ids <file of ids, one per line>.");
            var key = Environment.GetEnvironmentVariable(LoadGenerator.KeyVariable)
                      ?? throw new ArgumentException($"bench load takes its bearer key from {LoadGenerator.KeyVariable}.");
            return await LoadGenerator.RunAsync(new Uri(url), key, options.Value("path") ?? "/", ids, options.PositiveNumber("connections", 100),
                options.PositiveNumber("seconds", 10), options.Value("rate") is null ? null : options.PositiveNumber("rate", 2000), output, ct);
        }

        if (target == "verify")
        {
            return await InScratchHomeAsync(options, "datahub-bench-verify-home-", server: true, (platform, _) =>
                VerifyBenchmark.RunAsync(platform, options.PositiveNumber("rows", 10_000_000), options.PositiveNumber("rate", 2000), options.PositiveNumber("seconds", 20),
                    options.PositiveNumber("connections", 100), options.Value("generator") is "autocannon" ? "autocannon" : "open", output, ct), ct);
        }

        if (target == "themes")
        {
            return await InScratchHomeAsync(options, "datahub-bench-themes-home-", server: false, (platform, _) =>
                ThemeBenchmark.RunAsync(platform, options.PositiveNumber("rows", 10_000_000), output, ct), ct);
        }

        if (target == "portal")
        {
            return await InScratchHomeAsync(options, "datahub-bench-portal-home-", server: true, (platform, loggers) =>
                PortalBenchmark.RunAsync(platform, loggers, options.PositiveNumber("attributes", 100_000), options.PositiveNumber("runs", 200), output, ct), ct);
        }

        if (target == "geocode")
        {
            return await GeocodeBenchmark.RunAsync(options.PositiveNumber("addresses", 1_000_000), options.PositiveNumber("queries", 100_000),
                options.PositiveNumber("runs", 3), options.Value("show-misses") is null ? 0 : options.PositiveNumber("show-misses", 10), output, ct);
        }

        if (target == "quality")
        {
            return await QualityBenchmark.RunAsync(options.PositiveNumber("rows", 10_000_000), options.PositiveNumber("runs", 3), output, ct);
        }

        if (target == "catalog-search")
        {
            var (settings, loggers) = Setup(options);
            using (loggers)
            {
                return await CatalogSearchBenchmark.RunAsync(
                    settings, loggers, options.PositiveNumber("attributes", 100_000), options.PositiveNumber("runs", 50), options.Has("keep"), output, ct);
            }
        }

        if (target == "lineage")
        {
            var (settings, loggers) = Setup(options);
            using (loggers)
            {
                return await LineageBenchmark.RunAsync(settings, loggers, options.PositiveNumber("nodes", 100_000),
                    options.PositiveNumber("queries", 500), options.PositiveNumber("depth", 5), output, ct);
            }
        }

        if (target != "duckdb-read")
        {
            await output.WriteLineAsync($"datahub bench: choose a benchmark: duckdb-read, lake-commit, lineage, quality, catalog-search, ingest, export, verify, themes, geocode, portal\n\n{Help("bench")}");
            return 2;
        }

        var rows = options.PositiveNumber("rows", 10_000_000);
        var runs = options.PositiveNumber("runs", 3);
        return await DuckDbReadBenchmark.RunAsync(rows, runs, output, ct);
    }

    private static async Task WriteReportAsync(TextWriter output, string pipeline, IngestReport report)
    {
        await output.WriteLineAsync(
            $"{pipeline}: run {report.RunId} read {report.RowsRead} rows from {report.Files.Count} file(s): committed {report.RowsCommitted}, quarantined {report.RowsQuarantined}.");
        foreach (var file in report.Files)
        {
            await output.WriteLineAsync($"  {Path.GetFileName(file.SourcePath)}: {file.Encoding}, {file.Records} rows");
        }

        foreach (var rejection in report.Rejections)
        {
            await output.WriteLineAsync($"  rejected {rejection.SourceFile}:{rejection.Line}: {rejection.Reason}");
        }

        if (report.DataFile is not null)
        {
            await output.WriteLineAsync($"  lake file: {report.DataFile}");
        }

        if (report.QuarantineFile is not null)
        {
            await output.WriteLineAsync($"  quarantine: {report.QuarantineFile}");
        }
    }
}
