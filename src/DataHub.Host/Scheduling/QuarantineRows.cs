using DataHub.DuckDb;
using DataHub.Host.Platform;
using DataHub.Lake.Tables;
using DataHub.Pipelines.Ingest;
using DataHub.Pipelines.Runs;

namespace DataHub.Host.Scheduling;

/// <summary>A quarantined row still waiting for correction: where it came from, why, and its original values (JSON).</summary>
public sealed record QuarantinedRow(string Id, long Run, string File, long? Line, string Reason, string Original);

/// <summary>
/// The open rows of a pipeline in <c>quarantine.rejected_rows</c> (those no re-submission has resolved), and the
/// correction file a re-submission reads: the source headers and a <c>__quarantine_id</c> column.
/// </summary>
public static class QuarantineRows
{
    /// <summary>The open rows of a pipeline, optionally of one run, and how many were re-submitted already.</summary>
    public static async Task<(IReadOnlyList<QuarantinedRow> Open, int Resolved)> ReadOpenAsync(DataHubPlatform platform, string pipeline, long? run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (!await platform.Tables.ExistsAsync(PipelineIngestor.QuarantineTable, ct))
        {
            return ([], 0);
        }

        var scan = await platform.Tables.ScanAsync(PipelineIngestor.QuarantineTable, LakeVersion.Current, ct);
        var rows = new List<QuarantinedRow>();
        using (var duck = new DuckDbConnection($"Data Source=:memory:;Temp Directory={Path.Combine(platform.Settings.Home, "tmp")}"))
        {
            duck.Open();
            using var command = new DuckDbCommand($"SELECT quarantine_id, run_id, source_file, line, reason, original FROM ({scan.Sql}) q WHERE pipeline = $pipeline AND ($run IS NULL OR run_id = $run) ORDER BY run_id, source_file, line", duck);
            command.Parameters.Add("pipeline", pipeline);
            command.Parameters.Add("run", run);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(new QuarantinedRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetString(4), reader.IsDBNull(5) ? "{}" : reader.GetString(5)));
            }
        }

        var resolved = await new PipelineRunStore(platform.DataSource).ResolvedAsync(rows.Select(x => x.Id), ct);
        return ([.. rows.Where(x => !resolved.Contains(x.Id))], resolved.Count);
    }

    /// <summary>Writes rows as a correction CSV: the source headers (union, in first-seen order) and a __quarantine_id column.</summary>
    public static void WriteCorrectionCsv(string file, IReadOnlyList<(string Id, IReadOnlyDictionary<string, string?> Values)> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var headers = records.SelectMany(r => r.Values.Keys).Distinct(StringComparer.Ordinal).ToList();
        using var writer = new StreamWriter(file, append: false, new System.Text.UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine(string.Join(',', headers.Prepend("__quarantine_id").Select(CsvField)));
        foreach (var (id, values) in records)
        {
            writer.WriteLine(string.Join(',', headers.Select(h => values.GetValueOrDefault(h) ?? string.Empty).Prepend(id).Select(CsvField)));
        }
    }

    /// <summary>A row's original values by source header.</summary>
    public static Dictionary<string, string?> ParseOriginal(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
            ? document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Null ? null : p.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string?>(StringComparer.Ordinal) { ["__raw"] = document.RootElement.ToString() };
    }

    /// <summary>The quarantine ids a correction file carries.</summary>
    public static List<string> ReadQuarantineIds(string file)
    {
        using var reader = new StreamReader(file);
        var header = reader.ReadLine() ?? string.Empty;
        if (!header.TrimStart('\uFEFF').StartsWith("__quarantine_id,", StringComparison.Ordinal))
        {
            return [];
        }

        var ids = new List<string>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0)
            {
                ids.Add(line[..comma]);
            }
        }

        return ids;
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value.StartsWith(' ') || value.EndsWith(' ') ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
