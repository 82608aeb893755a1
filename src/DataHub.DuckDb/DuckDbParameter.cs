using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace DataHub.DuckDb;

/// <summary>
/// A value bound to a prepared statement: by name (<c>$name</c> in SQL, <see cref="ParameterName"/> with or
/// without the <c>$</c>) or by position (<c>?</c> or <c>$1</c>, in the order parameters were added).
/// Supported values: null/DBNull, bool, all integer widths, Int128/UInt128, float, double, decimal, string,
/// byte[], DateOnly, TimeOnly, DateTime (TIMESTAMP), DateTimeOffset (TIMESTAMPTZ), TimeSpan and
/// <see cref="DuckDbInterval"/> (INTERVAL), Guid (UUID).
/// </summary>
public sealed class DuckDbParameter : DbParameter
{
    private string _name = string.Empty;

    /// <summary>Creates an unnamed parameter.</summary>
    public DuckDbParameter()
    {
    }

    /// <summary>Creates a named parameter with a value.</summary>
    public DuckDbParameter(string name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    /// <summary>Creates a positional parameter with a value.</summary>
    public DuckDbParameter(object? value) => Value = value;

    /// <inheritdoc />
    public override DbType DbType { get; set; } = DbType.Object;

    /// <inheritdoc />
    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
            {
                throw new NotSupportedException("DuckDB parameters are input only.");
            }
        }
    }

    /// <inheritdoc />
    public override bool IsNullable { get; set; } = true;

    /// <inheritdoc />
    [AllowNull]
    public override string ParameterName
    {
        get => _name;
        set => _name = value ?? string.Empty;
    }

    /// <inheritdoc />
    public override int Size { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string SourceColumn { get; set; } = string.Empty;

    /// <inheritdoc />
    public override bool SourceColumnNullMapping { get; set; }

    /// <inheritdoc />
    public override object? Value { get; set; }

    /// <summary>The name as DuckDB knows it: without a leading <c>$</c>, <c>@</c> or <c>:</c>; empty for positional.</summary>
    internal string BareName => _name.TrimStart('$', '@', ':');

    /// <inheritdoc />
    public override void ResetDbType() => DbType = DbType.Object;
}
