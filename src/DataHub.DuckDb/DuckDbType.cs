namespace DataHub.DuckDb;

/// <summary>DuckDB's type ids (<c>duckdb_type</c> in <c>duckdb.h</c>).</summary>
#pragma warning disable CA1720 // Names are the SQL type names.
public enum DuckDbType
{
    /// <summary>Not a valid type.</summary>
    Invalid = 0,
    /// <summary>BOOLEAN.</summary>
    Boolean = 1,
    /// <summary>TINYINT (int8).</summary>
    TinyInt = 2,
    /// <summary>SMALLINT (int16).</summary>
    SmallInt = 3,
    /// <summary>INTEGER (int32).</summary>
    Integer = 4,
    /// <summary>BIGINT (int64).</summary>
    BigInt = 5,
    /// <summary>UTINYINT (uint8).</summary>
    UTinyInt = 6,
    /// <summary>USMALLINT (uint16).</summary>
    USmallInt = 7,
    /// <summary>UINTEGER (uint32).</summary>
    UInteger = 8,
    /// <summary>UBIGINT (uint64).</summary>
    UBigInt = 9,
    /// <summary>FLOAT.</summary>
    Float = 10,
    /// <summary>DOUBLE.</summary>
    Double = 11,
    /// <summary>TIMESTAMP in microseconds.</summary>
    Timestamp = 12,
    /// <summary>DATE.</summary>
    Date = 13,
    /// <summary>TIME in microseconds.</summary>
    Time = 14,
    /// <summary>INTERVAL.</summary>
    Interval = 15,
    /// <summary>HUGEINT (int128).</summary>
    HugeInt = 16,
    /// <summary>VARCHAR.</summary>
    Varchar = 17,
    /// <summary>BLOB.</summary>
    Blob = 18,
    /// <summary>DECIMAL(width, scale).</summary>
    Decimal = 19,
    /// <summary>TIMESTAMP_S.</summary>
    TimestampS = 20,
    /// <summary>TIMESTAMP_MS.</summary>
    TimestampMs = 21,
    /// <summary>TIMESTAMP_NS.</summary>
    TimestampNs = 22,
    /// <summary>ENUM.</summary>
    Enum = 23,
    /// <summary>LIST.</summary>
    List = 24,
    /// <summary>STRUCT.</summary>
    Struct = 25,
    /// <summary>MAP.</summary>
    Map = 26,
    /// <summary>UUID.</summary>
    Uuid = 27,
    /// <summary>UNION.</summary>
    Union = 28,
    /// <summary>BIT.</summary>
    Bit = 29,
    /// <summary>TIME WITH TIME ZONE.</summary>
    TimeTz = 30,
    /// <summary>TIMESTAMP WITH TIME ZONE (microseconds, UTC).</summary>
    TimestampTz = 31,
    /// <summary>UHUGEINT (uint128).</summary>
    UHugeInt = 32,
    /// <summary>ARRAY (fixed-size list).</summary>
    Array = 33,
    /// <summary>ANY (function parameters only).</summary>
    Any = 34,
    /// <summary>BIGNUM (arbitrary precision integer).</summary>
    BigNum = 35,
    /// <summary>The type of the NULL literal.</summary>
    SqlNull = 36,
    /// <summary>A string literal before binding.</summary>
    StringLiteral = 37,
    /// <summary>An integer literal before binding.</summary>
    IntegerLiteral = 38,
    /// <summary>TIME_NS.</summary>
    TimeNs = 39,
}
#pragma warning restore CA1720
