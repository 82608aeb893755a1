using System.Buffers;
using System.Globalization;
using System.Text;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Sources;

/// <summary>
/// Writes the normalised CSV every source kind hands to ingestion: UTF-8 without BOM, <c>\n</c> line ends, a header
/// <c>__line,&lt;physical column&gt;,…</c>, then one record per source record prefixed by the line (or ordinal) it
/// came from. A field is quoted with <c>"</c> (inner quotes doubled) when it holds the delimiter, a quote, CR or LF,
/// or starts or ends with white space; a null value is an empty field. Ingestion treats empty and white-space fields
/// as NULL, so an empty string and a null arrive alike.
/// </summary>
public sealed class NormalizedCsvWriter : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly StreamWriter writer;
    private readonly SearchValues<char> special;
    private readonly string[] columns;
    private bool disposed;

    /// <summary>Creates (or replaces) <paramref name="outputPath"/> and writes the header.</summary>
    /// <param name="outputPath">The normalised CSV to write.</param>
    /// <param name="columns">The physical columns, in order, without <c>__line</c>.</param>
    /// <param name="delimiter">The field separator ingestion reads with; a comma unless the pipeline says otherwise.</param>
    /// <exception cref="ArgumentException">A column is empty, repeated or named <c>__line</c>, or the delimiter is a quote or line break.</exception>
    public NormalizedCsvWriter(string outputPath, IReadOnlyList<string> columns, char delimiter = ',')
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        ArgumentNullException.ThrowIfNull(columns);
        if (delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException($"'{delimiter}' cannot separate fields of the normalised CSV.", nameof(delimiter));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { SourceDecoder.LineColumn };
        foreach (var column in columns)
        {
            if (string.IsNullOrWhiteSpace(column))
            {
                throw new ArgumentException("A column name is empty.", nameof(columns));
            }

            if (!seen.Add(column))
            {
                throw new ArgumentException($"The column '{column}' is listed twice or is reserved.", nameof(columns));
            }
        }

        this.columns = [.. columns];
        Delimiter = delimiter;
        special = SearchValues.Create([delimiter, '"', '\r', '\n']);
        writer = new StreamWriter(outputPath, append: false, Utf8NoBom, bufferSize: 1 << 16) { NewLine = "\n" };
        writer.Write(SourceDecoder.LineColumn);
        foreach (var column in this.columns)
        {
            writer.Write(delimiter);
            WriteField(column);
        }

        writer.WriteLine();
    }

    /// <summary>The physical columns after <c>__line</c>.</summary>
    public IReadOnlyList<string> Columns => columns;

    /// <summary>The field separator.</summary>
    public char Delimiter { get; }

    /// <summary>Records written so far.</summary>
    public long Records { get; private set; }

    /// <summary>Writes one record.</summary>
    /// <param name="line">The source line the record starts on, or its 1-based ordinal for row sources.</param>
    /// <param name="values">One value per column, in column order; null for NULL.</param>
    /// <exception cref="ArgumentException">The number of values is not the number of columns.</exception>
    public void WriteRecord(long line, ReadOnlySpan<string?> values)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (values.Length != columns.Length)
        {
            throw new ArgumentException($"A record needs {columns.Length} values, got {values.Length}.", nameof(values));
        }

        writer.Write(line.ToString(CultureInfo.InvariantCulture));
        foreach (var value in values)
        {
            writer.Write(Delimiter);
            WriteField(value);
        }

        writer.WriteLine();
        Records++;
    }

    /// <summary>Whether <paramref name="value"/> must be quoted to survive the CSV reader unchanged.</summary>
    /// <param name="value">The field's text.</param>
    /// <param name="delimiter">The field separator.</param>
    public static bool NeedsQuoting(string value, char delimiter)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 &&
               (value.AsSpan().IndexOfAny([delimiter, '"', '\r', '\n']) >= 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]));
    }

    /// <summary>Flushes what is buffered to the file.</summary>
    public void Flush() => writer.Flush();

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            writer.Dispose();
        }
    }

    private void WriteField(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(special) < 0 && !char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1]))
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        var rest = value.AsSpan();
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            writer.Write(rest[..(quote + 1)]);
            writer.Write('"');
            rest = rest[(quote + 1)..];
        }

        writer.Write(rest);
        writer.Write('"');
    }
}
