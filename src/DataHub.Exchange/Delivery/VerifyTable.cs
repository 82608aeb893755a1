using System.Text;
using DataHub.DuckDb;

namespace DataHub.Exchange.Delivery;

/// <summary>
/// One grant's verification answers held in memory for lookups in about a microsecond: the normalised keys
/// (18 ASCII bytes each) sorted, and for each row its granted fields, already masked, as a UTF-8 JSON object in one
/// arena. Built from the grant's verification view once per dataset snapshot.
/// </summary>
internal sealed class VerifyTable
{
    private const int KeyLength = 18;
    private readonly byte[] _keys;
    private readonly long[] _offsets;
    private readonly byte[] _payload;

    private VerifyTable(byte[] keys, long[] offsets, byte[] payload, int rows)
    {
        _keys = keys;
        _offsets = offsets;
        _payload = payload;
        Rows = rows;
    }

    /// <summary>Rows held.</summary>
    public int Rows { get; }

    /// <summary>Bytes held (keys, offsets and answers).</summary>
    public long Bytes => _keys.LongLength + (_offsets.LongLength * sizeof(long)) + _payload.LongLength;

    /// <summary>Reads <c>SELECT k, fields_json … ORDER BY k</c> into a table.</summary>
    /// <param name="connection">An open connection of the exchange's database.</param>
    /// <param name="sql">A query of two columns: the canonical key and the JSON text of the fields, ordered by key.</param>
    public static VerifyTable Load(DuckDbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        using var keys = new MemoryStream();
        using var payload = new MemoryStream();
        var offsets = new List<long> { 0 };
        var rows = 0;
        while (reader.Read())
        {
            var key = reader.GetUtf8Bytes(0);
            if (key.Length != KeyLength)
            {
                continue;
            }

            keys.Write(key);
            payload.Write(reader.IsDBNull(1) ? "{}"u8 : reader.GetUtf8Bytes(1));
            offsets.Add(payload.Length);
            rows++;
        }

        return new VerifyTable(keys.ToArray(), [.. offsets], payload.ToArray(), rows);
    }

    /// <summary>The fields of the first row with this key, and how many rows have it (0, 1, or 2 meaning more).</summary>
    /// <param name="key">The canonical key (18 ASCII characters).</param>
    public (string? Json, int Matches) Find(string key)
    {
        Span<byte> wanted = stackalloc byte[KeyLength];
        if (key.Length != KeyLength || Encoding.ASCII.GetBytes(key, wanted) != KeyLength)
        {
            return (null, 0);
        }

        int low = 0, high = Rows - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = _keys.AsSpan(middle * KeyLength, KeyLength).SequenceCompareTo(wanted);
            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                if (order == 0)
                {
                    found = middle;
                }

                high = middle - 1;
            }
        }

        if (found < 0)
        {
            return (null, 0);
        }

        var matches = found + 1 < Rows && _keys.AsSpan((found + 1) * KeyLength, KeyLength).SequenceEqual(wanted) ? 2 : 1;
        var start = _offsets[found];
        return (Encoding.UTF8.GetString(_payload, (int)start, (int)(_offsets[found + 1] - start)), matches);
    }
}
