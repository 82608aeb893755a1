using System.Buffers;
using System.Text;

namespace DataHub.DuckDb.Internal;

/// <summary>A string encoded as UTF-8 into a pooled buffer, for handing text to the C API without a per-call array.</summary>
internal readonly ref struct Utf8Text
{
    private readonly byte[] _buffer;
    private readonly int _length;

    public Utf8Text(string value)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, Encoding.UTF8.GetMaxByteCount(value.Length)));
        _length = Encoding.UTF8.GetBytes(value, _buffer);
    }

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
