using System.Text;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Sources;

/// <summary>
/// Collects the records of a JSON-shaped source (a JSON or NDJSON file, the pages of an HTTP endpoint) whose field
/// set is only known once every record has been read, and writes them as one normalised CSV.
/// </summary>
/// <remarks>
/// Every mapped field has a column from the start (a JSON record that lacks a field, as producers that omit nulls
/// write them, gives NULL). A field the mapping does not know is added as a column <c>__extra_N</c> (N its 1-based
/// position among the headers) the first time a record carries it, with its value kept as text, as the CSV decoder
/// keeps an unknown header. Because such a column can appear after records have been read, the records go first to a
/// spool file (per record: line, then the column index and value of each field present), which is replayed into the
/// normalised CSV once the columns are final; memory stays bounded by one record.
/// </remarks>
internal sealed class RecordTable : IDisposable
{
    private readonly string outputPath;
    private readonly string spoolPath;
    private readonly int maxRejected;
    private readonly string source;
    private readonly List<string> headers = [];
    private readonly List<string> columns = [];
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly List<DecodeRejection> rejected = [];
    private readonly BinaryWriter spool;

    public RecordTable(string outputPath, IReadOnlyDictionary<string, string> fieldToColumn, int maxRejected, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        ColumnMapping.Validate(fieldToColumn, source);
        this.outputPath = outputPath;
        this.maxRejected = maxRejected;
        this.source = source;
        foreach (var (field, column) in fieldToColumn)
        {
            index.Add(field, headers.Count);
            headers.Add(field);
            columns.Add(column);
        }

        spoolPath = outputPath + ".spool";
        spool = new BinaryWriter(new FileStream(spoolPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16), Encoding.UTF8);
    }

    /// <summary>Rows added so far.</summary>
    public long Written { get; private set; }

    /// <summary>Rows added plus records rejected so far.</summary>
    public long Seen => Written + rejected.Count;

    /// <summary>Adds a record's fields (source field name, value as text or null).</summary>
    public void Add(long line, IReadOnlyList<KeyValuePair<string, string?>> fields)
    {
        spool.Write7BitEncodedInt64(line);
        spool.Write7BitEncodedInt(fields.Count);
        foreach (var (field, value) in fields)
        {
            if (!index.TryGetValue(field, out var column))
            {
                column = headers.Count;
                index.Add(field, column);
                headers.Add(field);
                columns.Add(ColumnMapping.Extra(column));
            }

            spool.Write7BitEncodedInt(column);
            spool.Write(value is not null);
            if (value is not null)
            {
                spool.Write(value);
            }
        }

        Written++;
    }

    /// <summary>Reports a record that cannot be written; fails once more than the allowed number are rejected.</summary>
    public void Reject(long line, string reason, string raw)
    {
        if (rejected.Count >= maxRejected)
        {
            throw new IngestException($"{source}: more than {maxRejected} records rejected (the last at line {line}: {reason}); this does not look like the declared format.");
        }

        rejected.Add(DecodeRejection.Create(line, reason, raw));
    }

    /// <summary>Writes the normalised CSV from the spool and describes it.</summary>
    public DecodedFile Complete(string sourcePath, string encoding, long lines)
    {
        spool.Flush();
        var stream = spool.BaseStream;
        stream.Position = 0;
        using (var csv = new NormalizedCsvWriter(outputPath, columns))
        using (var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true))
        {
            var values = new string?[columns.Count];
            for (long r = 0; r < Written; r++)
            {
                Array.Clear(values);
                var line = reader.Read7BitEncodedInt64();
                var count = reader.Read7BitEncodedInt();
                for (var f = 0; f < count; f++)
                {
                    var column = reader.Read7BitEncodedInt();
                    values[column] = reader.ReadBoolean() ? reader.ReadString() : null;
                }

                csv.WriteRecord(line, values);
            }
        }

        Dispose();
        return new DecodedFile(sourcePath, outputPath, encoding, [.. headers], [.. columns], Written, lines, [.. rejected]);
    }

    public void Dispose()
    {
        spool.Dispose();
        try
        {
            File.Delete(spoolPath);
        }
        catch (IOException)
        {
            // A spool left behind in the work folder is harmless.
        }
    }
}
