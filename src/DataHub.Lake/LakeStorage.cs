using System.Globalization;
using DataHub.DuckDb;

namespace DataHub.Lake;

/// <summary>
/// The lake's file layout under <c>$DATAHUB_HOME/lake</c>: Parquet data files named by table and run, written by
/// DuckDB (<c>COPY … (FORMAT parquet, COMPRESSION zstd)</c>). Paths handed to SQL are built here from validated
/// table names, never from user input, and every path read back is checked to stay inside the root.
/// </summary>
public sealed class LakeStorage
{
    /// <summary>Rows per Parquet row group: DuckDB's vector size times 60, large enough for zstd and min/max pruning.</summary>
    public const int RowGroupSize = 122_880;

    /// <summary>Creates the layout for a root directory (created if missing).</summary>
    public LakeStorage(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The absolute lake root.</summary>
    public string Root { get; }

    /// <summary>A new data file path for a lake table, relative to the root: <c>schema/table/&lt;time&gt;-&lt;uuid&gt;.parquet</c>.</summary>
    public static string NewTableFilePath(string table, DateTimeOffset now)
    {
        var (schema, name) = SplitTableName(table);
        return string.Create(CultureInfo.InvariantCulture, $"{schema}/{name}/{now.UtcDateTime:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.parquet");
    }

    /// <summary>The absolute path of a relative lake path, refusing anything that would leave the root.</summary>
    public string Resolve(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        if (Path.IsPathRooted(relativePath))
        {
            throw new ArgumentException($"Lake paths are relative to the lake root; '{relativePath}' is absolute.", nameof(relativePath));
        }

        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' leaves the lake root.", nameof(relativePath));
        }

        return full;
    }

    /// <summary>
    /// Writes the rows of a query to a new Parquet file and returns its row count and size. The query is the
    /// caller's own SQL over staged tables (no user input is concatenated into it).
    /// </summary>
    public LakeFile WriteParquet(DuckDbConnection connection, string selectSql, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var full = Resolve(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var rows = connection.Execute(
            $"COPY ({selectSql}) TO {SqlLiteral(full)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {RowGroupSize})");
        return new LakeFile(relativePath.Replace('\\', '/'), rows, new FileInfo(full).Length);
    }

    /// <summary>
    /// A SQL string literal for a path DataHub itself built. COPY targets and file lists cannot be bound as
    /// parameters in DuckDB, so the few paths that reach SQL are quoted here and nowhere else.
    /// </summary>
    public static string SqlLiteral(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Any(char.IsControl))
        {
            throw new ArgumentException("A path with control characters cannot be used.", nameof(path));
        }

        return "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static (string Schema, string Name) SplitTableName(string table)
    {
        var parts = table.Split('.');
        if (!IsTableName(table))
        {
            throw new ArgumentException($"'{table}' is not a lake table name of the form schema.table (lower-case letters, digits, '_').", nameof(table));
        }

        return (parts[0], parts[1]);
    }

    /// <summary>True for a lake table name: <c>schema.table</c>, both parts identifiers.</summary>
    public static bool IsTableName(string value) =>
        value.Split('.') is [var schema, var table] && IsIdentifier(schema) && IsIdentifier(table);

    /// <summary>True for a lower-case SQL identifier (letters, digits, underscore, not starting with a digit).</summary>
    public static bool IsIdentifier(string value) =>
        value.Length is > 0 and <= 63
        && (char.IsAsciiLetterLower(value[0]) || value[0] == '_')
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
