namespace DataHub.Host.Samples;

/// <summary>
/// One source's shape: its file name, format, Chinese headers (the catalog columns' <c>source:</c> names), how a
/// clean record is made from its position and the seed, and where each kind of dirt goes.
/// </summary>
internal abstract class SampleShape
{
    private Dictionary<SampleDirt, int>? _dirtIndexes;

    public abstract SampleKind Kind { get; }

    /// <summary>The catalog dataset the records are for.</summary>
    public abstract string Dataset { get; }

    /// <summary>The folder under the output (and under <c>samples/</c>): the pipeline's area.</summary>
    public abstract string Folder { get; }

    /// <summary>The file name without suffix and extension.</summary>
    public abstract string FileStem { get; }

    /// <summary>True for newline-delimited JSON (one object per line, every value a string), false for CSV.</summary>
    public virtual bool IsNdjson => false;

    /// <summary>The headers (CSV) or keys (NDJSON), in order.</summary>
    public abstract IReadOnlyList<string> Headers { get; }

    /// <summary>The header each field-level kind of dirt is put into.</summary>
    public abstract IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; }

    /// <summary>The kinds of dirt a row of this shape gets that a quality gate (typing or a fail-severity rule) should reject.</summary>
    public abstract IReadOnlySet<SampleDirt> Rejected { get; }

    /// <summary>Every kind of dirt this shape carries: its field-level kinds, duplicates, and for CSV an extra field.</summary>
    public IReadOnlyList<SampleDirt> Dirt =>
        DirtColumns.Keys.Append(SampleDirt.Duplicate).Concat(IsNdjson ? [] : [SampleDirt.ExtraField]).Order().ToList();

    /// <summary>The file name for an encoding.</summary>
    public string FileName(SampleEncoding encoding) =>
        FileStem + (encoding == SampleEncoding.Gbk ? "_gbk" : string.Empty) + (IsNdjson ? ".ndjson" : ".csv");

    /// <summary>Writes the clean record number <paramref name="index"/> of a file of <paramref name="rows"/> records.</summary>
    public abstract void Fill(SampleRow row, long index, long rows, ulong seed);

    /// <summary>Spoils a clean record with one kind of dirt (not <see cref="SampleDirt.Duplicate"/>, which the generator makes).</summary>
    public void Spoil(SampleRow row, SampleDirt dirt)
    {
        if (dirt == SampleDirt.ExtraField)
        {
            row.Extra = "补传";
            return;
        }

        var index = DirtIndex(dirt);
        switch (dirt)
        {
            case SampleDirt.Blank:
                row.Set(index, string.Empty);
                break;
            case SampleDirt.None:
                row.Set(index, "无");
                break;
            case SampleDirt.FullWidth:
                row.ToFullWidth(index);
                break;
            case SampleDirt.ImpossibleDate:
                row.Set(index, ImpossibleDate(row[index]));
                break;
            case SampleDirt.Negative:
                row.Set(index, Negative(row[index]));
                break;
            case SampleDirt.BadCheckDigit:
                row.Set(index, WrongCheckCharacter(row[index]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dirt), dirt, "The generator makes duplicates itself.");
        }
    }

    /// <summary>The alphabet of the check character (for <see cref="SampleDirt.BadCheckDigit"/>).</summary>
    protected virtual string CheckAlphabet => "0123456789X";

    private int DirtIndex(SampleDirt dirt)
    {
        _dirtIndexes ??= DirtColumns.ToDictionary(d => d.Key, d => Headers.ToList().IndexOf(d.Value));
        return _dirtIndexes[dirt];
    }

    /// <summary>2026-10-01 → 2026-02-30; 2026-10-01 07:15:00 → 2026-02-30 07:15:00; 2026-09 → 2026-13.</summary>
    private static string ImpossibleDate(ReadOnlySpan<char> value) =>
        value.Length == 7 ? string.Concat(value[..5], "13") : string.Concat(value[..5], "02-30", value[10..]);

    /// <summary>1.25 → -1.25; a zero such as 0.00 becomes -1.00 so that the value is really below zero.</summary>
    private static string Negative(ReadOnlySpan<char> value)
    {
        var text = value.ToString();
        if (text.AsSpan().IndexOfAnyInRange('1', '9') < 0)
        {
            var zero = text.IndexOf('0', StringComparison.Ordinal);
            text = string.Concat(text.AsSpan(0, zero), "1", text.AsSpan(zero + 1));
        }

        return "-" + text;
    }

    /// <summary>The identifier in its plain form (the theme sources' spaces, full-width characters and lower-case x undone) with a wrong check character.</summary>
    private string WrongCheckCharacter(ReadOnlySpan<char> value)
    {
        Span<char> plain = stackalloc char[value.Length];
        var length = 0;
        foreach (var c in value.Trim(' '))
        {
            plain[length++] = char.ToUpperInvariant(c is >= '！' and <= '～' ? (char)(c - '！' + '!') : c);
        }

        plain = plain[..length];
        var position = CheckAlphabet.IndexOf(plain[^1], StringComparison.Ordinal);
        return string.Concat(plain[..^1], CheckAlphabet[(position + 1) % CheckAlphabet.Length].ToString());
    }
}
