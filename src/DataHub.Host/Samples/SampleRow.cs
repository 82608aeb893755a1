using System.Globalization;

namespace DataHub.Host.Samples;

/// <summary>
/// One record being built: its fields' characters in one reusable buffer, so that making a row allocates nothing.
/// A field is appended in parts between <see cref="Begin"/> and <see cref="End"/>, or at once with the Add methods.
/// </summary>
internal sealed class SampleRow
{
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private char[] _chars = new char[512];
    private int _length;
    private int _count;
    private int _open = -1;

    public SampleRow(int fields)
    {
        _starts = new int[fields + 1];
        _lengths = new int[fields + 1];
    }

    /// <summary>The number of fields added.</summary>
    public int Count => _count;

    /// <summary>One more field after the header's last (the extra-field dirt); null for none.</summary>
    public string? Extra { get; set; }

    /// <summary>The text of field <paramref name="index"/>.</summary>
    public ReadOnlySpan<char> this[int index] => _chars.AsSpan(_starts[index], _lengths[index]);

    public void Clear()
    {
        _length = 0;
        _count = 0;
        _open = -1;
        Extra = null;
    }

    public SampleRow Begin()
    {
        _open = _length;
        return this;
    }

    public SampleRow Append(ReadOnlySpan<char> text)
    {
        Reserve(text.Length);
        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
        return this;
    }

    public SampleRow Append(char c)
    {
        Reserve(1);
        _chars[_length++] = c;
        return this;
    }

    public SampleRow Append(long value)
    {
        Reserve(20);
        value.TryFormat(_chars.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>A non-negative number left-padded with zeros to <paramref name="width"/> digits.</summary>
    public SampleRow AppendDigits(long value, int width)
    {
        var digits = 1;
        for (var rest = value / 10; rest > 0; rest /= 10)
        {
            digits++;
        }

        var length = Math.Max(width, digits);
        Reserve(length);
        for (var i = _length + length - 1; i >= _length; i--)
        {
            _chars[i] = (char)('0' + value % 10);
            value /= 10;
        }

        _length += length;
        return this;
    }

    /// <summary>A fixed-point number: <paramref name="scaled"/> / 10^<paramref name="scale"/>, e.g. 12345 and 2 give 123.45.</summary>
    public SampleRow AppendDecimal(long scaled, int scale)
    {
        if (scaled < 0)
        {
            Append('-');
            scaled = -scaled;
        }

        var unit = Pow10[scale];
        Append(scaled / unit);
        if (scale > 0)
        {
            Append('.').AppendDigits(scaled % unit, scale);
        }

        return this;
    }

    public SampleRow AppendDate(DateOnly date) => AppendDate(date.Year, date.Month, date.Day);

    public SampleRow AppendDate(int year, int month, int day) =>
        AppendDigits(year, 4).Append('-').AppendDigits(month, 2).Append('-').AppendDigits(day, 2);

    public SampleRow AppendTime(int secondOfDay) =>
        AppendDigits(secondOfDay / 3600, 2).Append(':').AppendDigits(secondOfDay / 60 % 60, 2).Append(':').AppendDigits(secondOfDay % 60, 2);

    public void End()
    {
        _starts[_count] = _open;
        _lengths[_count] = _length - _open;
        _count++;
        _open = -1;
    }

    public void Add(ReadOnlySpan<char> text) => Begin().Append(text).End();

    public void Add(long value) => Begin().Append(value).End();

    public void AddDigits(long value, int width) => Begin().AppendDigits(value, width).End();

    public void AddDecimal(long scaled, int scale) => Begin().AppendDecimal(scaled, scale).End();

    public void AddDate(DateOnly date) => Begin().AppendDate(date).End();

    /// <summary>Replaces the text of one field (used to spoil a finished row).</summary>
    public void Set(int index, ReadOnlySpan<char> text)
    {
        // Fields are appended in order, so the new text simply goes to the end of the buffer.
        Reserve(text.Length);
        text.CopyTo(_chars.AsSpan(_length));
        _starts[index] = _length;
        _lengths[index] = text.Length;
        _length += text.Length;
    }

    /// <summary>Replaces the ASCII digits of a field with full-width ones (０-９).</summary>
    public void ToFullWidth(int index)
    {
        Span<char> text = stackalloc char[_lengths[index]];
        this[index].CopyTo(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is >= '0' and <= '9')
            {
                text[i] = (char)('０' + (text[i] - '0'));
            }
        }

        Set(index, text);
    }

    /// <summary>Makes this row a copy of another.</summary>
    public void CopyFrom(SampleRow other)
    {
        Clear();
        for (var i = 0; i < other._count; i++)
        {
            Add(other[i]);
        }

        Extra = other.Extra;
    }

    private void Reserve(int more)
    {
        if (_length + more > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + more));
        }
    }

    private static readonly long[] Pow10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];
}
