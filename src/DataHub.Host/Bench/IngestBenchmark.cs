using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataHub.DuckDb;
using DataHub.Host.Platform;
using DataHub.Lake;
using DataHub.Pipelines.Definitions;
using DataHub.Pipelines.Ingest;
using DataHub.Quality.Definitions;
using DataHub.Quality.Service;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench ingest</c>: a generated water-readings CSV (UTF-8, and the same rows in GBK) ingested by a
/// pipeline run — decode, map, type, quality gate, quarantine, one-transaction commit — against DuckDB alone doing
/// <c>COPY (SELECT * FROM read_csv(…)) TO '….parquet'</c> on the UTF-8 file (DuckDB cannot read GBK by itself).
/// </summary>
public static class IngestBenchmark
{
    /// <summary>Runs the benchmark on a started platform and prints its figures.</summary>
    public static async Task<int> RunAsync(DataHubPlatform platform, int rows, string? input, TextWriter output, CancellationToken ct, int runs = 1)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(output);
        var directory = Directory.CreateTempSubdirectory("datahub-bench-ingest-").FullName;
        try
        {
            var utf8Dir = Path.Combine(directory, "utf8");
            var gbkDir = Path.Combine(directory, "gbk");
            var start = Stopwatch.GetTimestamp();
            string utf8;
            string gbk;
            if (input is not null)
            {
                Directory.CreateDirectory(utf8Dir);
                utf8 = Path.Combine(utf8Dir, "water.csv");
                File.Copy(Path.GetFullPath(input), utf8);
                gbk = Path.Combine(gbkDir, "water_gbk.csv");
                Directory.CreateDirectory(gbkDir);
                Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                using var reader = new StreamReader(utf8, Encoding.UTF8);
                using var writer = new StreamWriter(gbk, false, Encoding.GetEncoding("GB18030"), 1 << 20);
                var buffer = new char[1 << 20];
                int read;
                while ((read = await reader.ReadBlockAsync(buffer, ct)) > 0)
                {
                    await writer.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            else
            {
                // The same rows (same seed) in both encodings, from the sample generator: ~1 % of each kind of dirt.
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Generating {rows:N0} water readings (UTF-8 and GBK) …"));
                utf8 = Samples.SampleGenerator.Generate(Samples.SampleKind.Water, rows, utf8Dir, Samples.SampleEncoding.Utf8, 1, null, ct).Path;
                gbk = Samples.SampleGenerator.Generate(Samples.SampleKind.Water, rows, gbkDir, Samples.SampleEncoding.Gbk, 1, null, ct).Path;
            }

            utf8Dir = Path.GetDirectoryName(utf8)!;
            gbkDir = Path.GetDirectoryName(gbk)!;
            var bytes = new FileInfo(utf8).Length;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Input: {bytes / 1048576.0:F0} MB UTF-8, {new FileInfo(gbk).Length / 1048576.0:F0} MB GBK ({Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s to prepare)"));

            var dataset = platform.Definitions.GetDataset("water.meter_reading_daily");
            var gate = RuleBinder.Bind(dataset, RuleFileLoader.LoadDirectory(Path.Combine(platform.Settings.Root, "catalog", "rules"), platform.Definitions), r => r, platform.Definitions);
            var ingestor = new PipelineIngestor(platform.Catalog, platform.DataSource, platform.Tables, platform.Settings.Home, NullLogger.Instance);
            async Task<(double Seconds, IngestReport Report)> Ours(string name, string folder)
            {
                var pipeline = new PipelineDefinition
                {
                    Name = name, Department = "water", Target = dataset.Name, SourceFile = "bench",
                    Source = new SourceDefinition { Path = folder, Pattern = "*.csv" },
                    Write = new WriteDefinition { Key = ["account_no", "reading_date"] },
                    Gate = new QualityGateDefinition { Enabled = true },
                };
                var begin = Stopwatch.GetTimestamp();
                var report = await ingestor.RunAsync(pipeline, dataset, directory, new IngestOptions { Gate = gate }, ct);
                return (Stopwatch.GetElapsedTime(begin).TotalSeconds, report);
            }

            double Rate(long n, double s) => n / s / 1e6;
            var duckParquet = LakeStorage.SqlLiteral(Path.Combine(directory, "duck.parquet"));
            var ratios = new List<(double Utf8, double Gbk, double Utf8Fields, double GbkFields)>();
            for (var round = 1; round <= runs; round++)
            {
                // DuckDB alone: parse and write zstd Parquet, nothing else.
                double duckSeconds;
                double duckFieldsSeconds;
                long duckRows;
                long duckColumns;
                using (var duck = new DuckDbConnection($"Data Source=:memory:;Temp Directory={directory}"))
                {
                    duck.Open();
                    start = Stopwatch.GetTimestamp();
                    duck.Execute($"COPY (SELECT * FROM read_csv({LakeStorage.SqlLiteral(utf8)}, header = true)) TO {duckParquet} (FORMAT parquet, COMPRESSION zstd)");
                    duckSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    duckRows = Convert.ToInt64(new DuckDbCommand($"SELECT count(*) FROM read_parquet({duckParquet})", duck).ExecuteScalar(), CultureInfo.InvariantCulture);
                    using var describe = new DuckDbCommand($"SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet({duckParquet}))", duck);
                    duckColumns = Convert.ToInt64(describe.ExecuteScalar(), CultureInfo.InvariantCulture);
                    File.Delete(Path.Combine(directory, "duck.parquet"));

                    // The same with the dialect given: DuckDB's sniffer, put off by the rows with an extra field, may take a
                    // whole line for one text column above; here every field is parsed and typed (the broken rows skipped).
                    start = Stopwatch.GetTimestamp();
                    duck.Execute($"COPY (SELECT * FROM read_csv({LakeStorage.SqlLiteral(utf8)}, header = true, delim = ',', ignore_errors = true)) TO {duckParquet} (FORMAT parquet, COMPRESSION zstd)");
                    duckFieldsSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    File.Delete(Path.Combine(directory, "duck.parquet"));
                }

                // Each round under pipelines of its own, so that its files are new to them (ingested once per pipeline).
                var suffix = runs == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"_{round}");
                var (utf8Seconds, utf8Report) = await Ours("bench_ingest_utf8" + suffix, utf8Dir);
                var (gbkSeconds, gbkReport) = await Ours("bench_ingest_gbk" + suffix, gbkDir);
                ratios.Add((duckSeconds / utf8Seconds, duckSeconds / gbkSeconds, duckFieldsSeconds / utf8Seconds, duckFieldsSeconds / gbkSeconds));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

                    ingest{(runs == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", round {round} of {runs}"))}: {duckRows:N0} rows, {bytes / 1048576.0:F0} MB, {Environment.ProcessorCount} cores
                      DuckDB alone, COPY read_csv → Parquet (UTF-8)   {duckSeconds,7:F2} s  {Rate(duckRows, duckSeconds),6:F2} M rows/s  ({duckColumns} column(s) sniffed)
                      DuckDB alone, the same with delim = ','        {duckFieldsSeconds,7:F2} s  {Rate(duckRows, duckFieldsSeconds),6:F2} M rows/s  = {duckFieldsSeconds / duckSeconds:F2}× the time above
                      pipeline run, UTF-8                             {utf8Seconds,7:F2} s  {Rate(utf8Report.RowsRead, utf8Seconds),6:F2} M rows/s  = {duckSeconds / utf8Seconds:F2}× DuckDB (goal ≥ 0.7), {duckFieldsSeconds / utf8Seconds:F2}× with delim
                          read {utf8Report.RowsRead:N0} = committed {utf8Report.RowsCommitted:N0} + quarantined {utf8Report.RowsQuarantined:N0}
                          {string.Join(", ", utf8Report.Phases.Select(p => $"{p.Key} {p.Value:F2} s"))}
                      pipeline run, GBK                               {gbkSeconds,7:F2} s  {Rate(gbkReport.RowsRead, gbkSeconds),6:F2} M rows/s  = {duckSeconds / gbkSeconds:F2}× DuckDB (goal ≥ 0.7), {duckFieldsSeconds / gbkSeconds:F2}× with delim
                          read {gbkReport.RowsRead:N0} = committed {gbkReport.RowsCommitted:N0} + quarantined {gbkReport.RowsQuarantined:N0}
                          {string.Join(", ", gbkReport.Phases.Select(p => $"{p.Key} {p.Value:F2} s"))}
                    """));
            }

            if (runs > 1)
            {
                double Median(Func<(double Utf8, double Gbk, double Utf8Fields, double GbkFields), double> pick) => BenchSupport.Median(ratios.Select(pick));

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

                    median of {runs} rounds (the first round also pays for the machine's first touch of the memory it writes through):
                      UTF-8 {Median(r => r.Utf8):F2}× DuckDB alone ({Median(r => r.Utf8Fields):F2}× with delim), GBK {Median(r => r.Gbk):F2}× ({Median(r => r.GbkFields):F2}× with delim); goal ≥ 0.7
                    """));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
