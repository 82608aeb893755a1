using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DataHub.Pipelines.Sources;

/// <summary>Receives what <see cref="JsonRecordParser"/> finds.</summary>
internal interface IJsonRecordSink
{
    /// <summary>A record: its top-level fields in order, each value as text (null for JSON null).</summary>
    /// <remarks>The list is the parser's and is reused for the next record.</remarks>
    void Record(long line, List<KeyValuePair<string, string?>> fields);

    /// <summary>An element of the records array that cannot be a row; <paramref name="raw"/> is it as compact JSON.</summary>
    void Rejected(long line, string reason, string raw);
}

/// <summary>The JSON is well-formed but not shaped as the source definition says (no array where the records should be …).</summary>
internal sealed class JsonShapeException(string message) : Exception(message);

/// <summary>
/// A token-by-token state machine over <see cref="Utf8JsonReader"/> that finds the records of a JSON document and
/// turns each into text values, without ever holding more than one record: the driver feeds it tokens as they are
/// read from a buffer that is refilled, so files of any size stream through.
/// </summary>
/// <remarks>
/// Values: strings unescaped, numbers as their literal text, <c>true</c>/<c>false</c>, null as null, nested objects
/// and arrays as compact JSON (non-ASCII kept as is). Every token of a record is also copied to a compact JSON
/// buffer, which gives the nested values and the raw text of a rejected record.
/// </remarks>
internal sealed class JsonRecordParser : IDisposable
{
    /// <summary>The deepest nesting accepted, for the reader and the writer alike.</summary>
    public const int MaxDepth = 256;

    private const int MaxRawBytes = 4 * 1024;

    private readonly string[]? path;
    private readonly IJsonRecordSink sink;
    private readonly Func<int, long> lineAt;
    private readonly ArrayBufferWriter<byte> buffer = new(1024);
    private readonly Utf8JsonWriter json;
    private readonly List<KeyValuePair<string, string?>> fields = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    private Phase phase;
    private int segment;
    private int seekDepth;
    private int skipDepth;
    private int arrayDepth;
    private int elementDepth;
    private int nestedStart = -1;
    private string? field;
    private string? duplicate;
    private long recordLine;

    /// <summary>Creates a parser.</summary>
    /// <param name="path">
    /// Where the records are: null when the document itself is one record (an NDJSON line); empty when the document
    /// is the array of records; else the property names leading from the root object to the array.
    /// </param>
    /// <param name="sink">Receives records and rejections.</param>
    /// <param name="lineAt">The physical line of a token, from its start index in the reader's current input.</param>
    public JsonRecordParser(string[]? path, IJsonRecordSink sink, Func<int, long> lineAt)
    {
        this.path = path;
        this.sink = sink;
        this.lineAt = lineAt;
        json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
            MaxDepth = MaxDepth,
        });
    }

    private enum Phase
    {
        Start,
        Seek,
        SeekValue,
        SkipValue,
        Skipping,
        InArray,
        InRecord,
        InNonObject,
        Done,
    }

    /// <summary>The options every reader feeding this parser uses.</summary>
    public static JsonReaderOptions ReaderOptions { get; } = new() { MaxDepth = MaxDepth };

    /// <summary>Whether the records array (or the one record) has been read to its end.</summary>
    public bool Finished => phase == Phase.Done;

    /// <summary>Splits a dot path such as <c>data.items</c>; null or empty gives no segments (the root is the array).</summary>
    public static string[] SplitPath(string? dotPath) =>
        string.IsNullOrWhiteSpace(dotPath) ? [] : dotPath.Split('.', StringSplitOptions.TrimEntries);

    /// <summary>Releases the compact JSON writer.</summary>
    public void Dispose() => json.Dispose();

    /// <summary>Starts over for a new document.</summary>
    public void Reset()
    {
        phase = Phase.Start;
        nestedStart = -1;
    }

    /// <summary>Handles the token the reader is on.</summary>
    public void Handle(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        var depth = reader.CurrentDepth;
        switch (phase)
        {
            case Phase.Start:
                Start(ref reader);
                return;
            case Phase.Seek:
                if (token == JsonTokenType.PropertyName && depth == seekDepth)
                {
                    phase = reader.ValueTextEquals(path![segment]) ? Phase.SeekValue : Phase.SkipValue;
                }
                else if (token == JsonTokenType.EndObject)
                {
                    throw new JsonShapeException($"there is no field '{PathTo(segment)}' where the records should be.");
                }

                return;
            case Phase.SkipValue:
                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    skipDepth = depth;
                    phase = Phase.Skipping;
                }
                else
                {
                    phase = Phase.Seek;
                }

                return;
            case Phase.Skipping:
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && depth == skipDepth)
                {
                    phase = Phase.Seek;
                }

                return;
            case Phase.SeekValue:
                SeekValue(token, depth);
                return;
            case Phase.InArray:
                if (token == JsonTokenType.EndArray && depth == arrayDepth)
                {
                    phase = Phase.Done;
                }
                else
                {
                    BeginElement(ref reader);
                }

                return;
            case Phase.InRecord:
                InRecord(ref reader);
                return;
            case Phase.InNonObject:
                Copy(ref reader);
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && depth == elementDepth)
                {
                    Reject("the record is not a JSON object but an array");
                }

                return;
            default:
                return;
        }
    }

    private void Start(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        if (path is null)
        {
            BeginElement(ref reader);
        }
        else if (path.Length == 0)
        {
            if (token != JsonTokenType.StartArray)
            {
                throw new JsonShapeException($"the document is {Describe(token)}, not an array of records (name the array with a records path).");
            }

            arrayDepth = reader.CurrentDepth;
            phase = Phase.InArray;
        }
        else
        {
            if (token != JsonTokenType.StartObject)
            {
                throw new JsonShapeException($"the document is {Describe(token)}, not an object holding '{PathTo(path.Length - 1)}'.");
            }

            seekDepth = reader.CurrentDepth + 1;
            segment = 0;
            phase = Phase.Seek;
        }
    }

    private void SeekValue(JsonTokenType token, int depth)
    {
        if (token == JsonTokenType.Null)
        {
            // "items": null is an empty set of records, as APIs write it for an empty page.
            phase = Phase.Done;
            return;
        }

        if (segment == path!.Length - 1)
        {
            if (token != JsonTokenType.StartArray)
            {
                throw new JsonShapeException($"'{PathTo(segment)}' is {Describe(token)}, not an array of records.");
            }

            arrayDepth = depth;
            phase = Phase.InArray;
            return;
        }

        if (token != JsonTokenType.StartObject)
        {
            throw new JsonShapeException($"'{PathTo(segment)}' is {Describe(token)}, not an object holding '{PathTo(path.Length - 1)}'.");
        }

        seekDepth = depth + 1;
        segment++;
        phase = Phase.Seek;
    }

    private void BeginElement(ref Utf8JsonReader reader)
    {
        elementDepth = reader.CurrentDepth;
        recordLine = lineAt(checked((int)reader.TokenStartIndex));
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        fields.Clear();
        names.Clear();
        field = null;
        duplicate = null;
        nestedStart = -1;
        var token = reader.TokenType;
        Copy(ref reader);
        switch (token)
        {
            case JsonTokenType.StartObject:
                phase = Phase.InRecord;
                break;
            case JsonTokenType.StartArray:
                phase = Phase.InNonObject;
                break;
            default:
                Reject($"the record is not a JSON object but {Describe(token)}");
                break;
        }
    }

    private void InRecord(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        var depth = reader.CurrentDepth;
        if (nestedStart >= 0)
        {
            Copy(ref reader);
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && depth == elementDepth + 1)
            {
                json.Flush();
                AddField(Encoding.UTF8.GetString(buffer.WrittenSpan[nestedStart..]));
                nestedStart = -1;
            }

            return;
        }

        switch (token)
        {
            case JsonTokenType.PropertyName:
                field = reader.GetString()!;
                json.WritePropertyName(field);
                return;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                json.Flush();
                nestedStart = buffer.WrittenCount;
                Copy(ref reader);
                return;
            case JsonTokenType.EndObject:
                Copy(ref reader);
                if (duplicate is not null)
                {
                    Reject($"the field '{duplicate}' appears more than once in the record");
                }
                else
                {
                    sink.Record(recordLine, fields);
                    AfterElement();
                }

                return;
            case JsonTokenType.String:
                var text = reader.GetString();
                json.WriteStringValue(text);
                AddField(text);
                return;
            case JsonTokenType.Number:
                json.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                AddField(Encoding.UTF8.GetString(reader.ValueSpan));
                return;
            case JsonTokenType.True or JsonTokenType.False:
                Copy(ref reader);
                AddField(token == JsonTokenType.True ? "true" : "false");
                return;
            case JsonTokenType.Null:
                Copy(ref reader);
                AddField(null);
                return;
            default:
                Copy(ref reader);
                return;
        }
    }

    private void AddField(string? value)
    {
        if (names.Add(field!))
        {
            fields.Add(new KeyValuePair<string, string?>(field!, value));
        }
        else
        {
            duplicate ??= field;
        }
    }

    private void Reject(string reason)
    {
        json.Flush();
        var raw = buffer.WrittenSpan;
        sink.Rejected(recordLine, reason, Encoding.UTF8.GetString(raw.Length > MaxRawBytes ? raw[..MaxRawBytes] : raw));
        AfterElement();
    }

    private void AfterElement() => phase = path is null ? Phase.Done : Phase.InArray;

    private void Copy(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                json.WriteStartObject();
                break;
            case JsonTokenType.EndObject:
                json.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                json.WriteStartArray();
                break;
            case JsonTokenType.EndArray:
                json.WriteEndArray();
                break;
            case JsonTokenType.PropertyName:
                json.WritePropertyName(reader.GetString()!);
                break;
            case JsonTokenType.String:
                json.WriteStringValue(reader.GetString());
                break;
            case JsonTokenType.Number:
                json.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True:
                json.WriteBooleanValue(true);
                break;
            case JsonTokenType.False:
                json.WriteBooleanValue(false);
                break;
            case JsonTokenType.Null:
                json.WriteNullValue();
                break;
        }
    }

    private string PathTo(int last) => string.Join('.', path!.Take(last + 1));

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
