using System.Security.Cryptography;
using System.Text;

namespace DataHub.Exchange.Masking;

/// <summary>
/// <see cref="Masks.Hash(string?, ReadOnlySpan{byte}, int)"/> with one key, fast: each thread keeps an HMAC whose key
/// schedule is computed once, so a value costs two SHA-256 blocks instead of four, and nothing is allocated but the
/// result. Gives exactly the same pseudonyms.
/// </summary>
public sealed class Pseudonymizer : IDisposable
{
    private readonly byte[] _key;
    private readonly int _length;
    private readonly ThreadLocal<IncrementalHash> _hmac;

    /// <summary>Creates the pseudonymizer.</summary>
    /// <param name="key">The secret key, at least <see cref="Masks.MinimumKeyBytes"/> bytes; copied.</param>
    /// <param name="length">How many hex characters to keep, 8 to 64.</param>
    public Pseudonymizer(ReadOnlySpan<byte> key, int length = 16)
    {
        _ = Masks.Hash(string.Empty, key, length); // the same checks of key and length
        _key = key.ToArray();
        _length = length;
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key), trackAllValues: true);
    }

    /// <summary>The pseudonym of a value (null for null).</summary>
    /// <param name="value">The value, hashed as UTF-8.</param>
    public string? Hash(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var hmac = _hmac.Value!;
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = max > 512 ? new byte[max] : null;
        Span<byte> bytes = rented ?? stackalloc byte[512];
        var count = Encoding.UTF8.GetBytes(value, bytes);
        hmac.AppendData(bytes[..count]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.GetHashAndReset(mac);
        return Convert.ToHexStringLower(mac[..((_length + 1) / 2)])[.._length];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var hmac in _hmac.Values)
        {
            hmac.Dispose();
        }

        _hmac.Dispose();
    }
}
