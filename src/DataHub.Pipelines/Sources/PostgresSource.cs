using System.Data;
using System.Globalization;
using DataHub.Pipelines.Ingest;
using Npgsql;

namespace DataHub.Pipelines.Sources;

/// <summary>
/// Reads a departmental PostgreSQL table, view or query into the normalised CSV ingestion reads (see
/// <see cref="NormalizedCsvWriter"/>), incrementally by a watermark column, streaming the rows (a sequential
/// <see cref="NpgsqlDataReader"/>) so that a batch of any size never sits in memory.
/// </summary>
/// <remarks>
/// <para>The statement is built from checked identifiers only: the table's parts and the watermark column must be
/// plain identifiers and are double-quoted; a query is wrapped as a subquery; the last watermark is bound as a
/// parameter of the watermark column's own PostgreSQL type, never spliced into the SQL. Reading happens in a
/// read-only transaction.</para>
/// <para>Values are rendered invariantly: integers and floats in invariant culture (floats round-trip), numeric and
/// money as PostgreSQL writes numeric, <c>true</c>/<c>false</c>, dates <c>yyyy-MM-dd</c>, timestamps ISO 8601
/// (<c>2026-03-01T08:30:00.25</c>; with time zone in UTC with <c>Z</c>), times <c>HH:mm:ss</c>, uuid in the
/// 8-4-4-4-12 form, bytea as lower-case hex without prefix, json/jsonb as their text, and any other type as
/// PostgreSQL's own text output (intervals, arrays, enums …). NULL stays NULL.</para>
/// <para>Result columns map to physical columns through the column mapping; a column it does not know becomes
/// <c>__extra_N</c> (N its 1-based position), as an unknown CSV header does. A mapped column missing from the result is
/// simply absent from <see cref="DecodedFile.Columns"/>, as a missing CSV header is.</para>
/// <para>Error messages name the server, database and table but never the password.</para>
/// </remarks>
public sealed class PostgresSource
{
    private const string EnvironmentPrefix = "env:";

    /// <summary>Creates a source; the options are checked here.</summary>
    /// <param name="options">Connection, table or query, watermark.</param>
    /// <exception cref="IngestException">The options are not usable.</exception>
    public PostgresSource(PostgresSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new IngestException($"PostgreSQL source {options.Table ?? "(query)"}: {string.Join(" ", problems)}");
        }

        Options = options;
    }

    /// <summary>The options.</summary>
    public PostgresSourceOptions Options { get; }

    private enum Kind
    {
        Text,
        Bool,
        Int2,
        Int4,
        Int8,
        Float4,
        Float8,
        Date,
        Timestamp,
        TimestampTz,
        Time,
        Uuid,
        Bytea,
        AsText,
    }

    /// <summary>Reads the rows after <paramref name="lastWatermark"/> into <paramref name="outputPath"/>.</summary>
    /// <param name="outputPath">The normalised CSV to write.</param>
    /// <param name="columnToColumn">Result column name → physical column.</param>
    /// <param name="lastWatermark">The watermark the previous run returned, or null to read from the start.</param>
    /// <param name="ct">Cancels the run.</param>
    /// <exception cref="IngestException">
    /// The connection string or database cannot be used, the watermark column is missing or of a type that cannot be a
    /// watermark, the stored watermark is not a value of that type, or a statement fails.
    /// </exception>
    public async Task<PostgresFetchResult> FetchAsync(string outputPath, IReadOnlyDictionary<string, string> columnToColumn, string? lastWatermark, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var (connectionString, password, description) = Connect();
        ColumnMapping.Validate(columnToColumn, description);
        var from = Options.Table is { Length: > 0 } table
            ? PostgresIdentifiers.QuoteTable(table)
            : $"(\n{PostgresIdentifiers.TrimQuery(Options.Query!)}\n)";
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(ct);
            }

            var (names, types) = await DescribeAsync(connection, transaction, from, description, ct);
            var kinds = types.Select(KindOf).ToArray();
            var watermarkIndex = -1;
            if (Options.WatermarkColumn is { } watermarkColumn)
            {
                watermarkIndex = names.IndexOf(watermarkColumn);
                if (watermarkIndex < 0)
                {
                    throw new IngestException($"{description}: the watermark column '{watermarkColumn}' is not among the columns ({string.Join(", ", names)}).");
                }
            }

            await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction, CommandTimeout = TimeoutSeconds() };
            command.CommandText = BuildSelect(from, names, types, watermarkIndex, lastWatermark, command.Parameters, description);
            var columns = names.Select((name, i) => columnToColumn.TryGetValue(name, out var column) ? column : ColumnMapping.Extra(i)).ToList();
            string? watermark = watermarkIndex < 0 ? null : lastWatermark;
            long rows = 0;
            await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct))
            using (var csv = new NormalizedCsvWriter(outputPath, columns))
            {
                var values = new string?[names.Count];
                while (await reader.ReadAsync(ct))
                {
                    rows++;
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = await RenderAsync(reader, i, kinds[i], ct);
                    }

                    if (watermarkIndex >= 0)
                    {
                        watermark = values[watermarkIndex];
                    }

                    csv.WriteRecord(rows, values);
                }
            }

            await transaction.CommitAsync(ct);
            return new PostgresFetchResult(new DecodedFile(description, outputPath, "utf-8", names, columns, rows, rows), watermark);
        }
        catch (NpgsqlException e)
        {
            throw new IngestException($"{description}: {Scrub(Describe(e), password)}");
        }
        catch (InvalidCastException e)
        {
            throw new IngestException($"{description}: a value could not be read: {Scrub(e.Message, password)}");
        }
    }

    /// <summary>The connection string (an <c>env:NAME</c> resolved), its password and a description without secrets.</summary>
    private (string ConnectionString, string? Password, string Description) Connect()
    {
        var value = Options.ConnectionString.Trim();
        var what = Options.Table ?? "(query)";
        if (value.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
        {
            var name = value[EnvironmentPrefix.Length..].Trim();
            value = Environment.GetEnvironmentVariable(name) ?? "";
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new IngestException($"PostgreSQL source {what}: the environment variable '{name}' that should hold the connection string is not set.");
            }
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // The parser's message names the keyword or position, never a value; the value itself is not repeated.
            throw new IngestException($"PostgreSQL source {what}: the connection string is not valid ({e.GetType().Name}: {e.Message.Split('\n')[0]}).");
        }

        var description = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database} {what}";
        return (builder.ConnectionString, builder.Password, description);
    }

    /// <summary>The result columns and their PostgreSQL type names (internal names such as <c>int4</c>, <c>timestamptz</c>), without running the statement.</summary>
    private static async Task<(List<string> Names, List<string> Types)> DescribeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string from, string description, CancellationToken ct)
    {
        await using var probe = new NpgsqlCommand($"SELECT * FROM {from} AS src", connection, transaction);
        await using var reader = await probe.ExecuteReaderAsync(CommandBehavior.SchemaOnly, ct);
        var names = new List<string>();
        var types = new List<string>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            if (names.Contains(name))
            {
                throw new IngestException($"{description}: two result columns are named '{name}'; give them distinct aliases.");
            }

            names.Add(name);
            types.Add(reader.GetPostgresType(i).InternalName);
        }

        return (names, types);
    }

    private string BuildSelect(string from, List<string> names, List<string> types, int watermarkIndex, string? lastWatermark,
        NpgsqlParameterCollection parameters, string description)
    {
        var list = string.Join(", ", names.Select((name, i) => KindOf(types[i]) != Kind.AsText
            ? $"src.{PostgresIdentifiers.Quote(name)}"
            : types[i] == "money" ? $"src.{PostgresIdentifiers.Quote(name)}::numeric::text" : $"src.{PostgresIdentifiers.Quote(name)}::text"));
        if (watermarkIndex < 0)
        {
            if (Options.BatchLimit is not { } rowLimit)
            {
                return $"SELECT {list} FROM {from} AS src";
            }

            parameters.Add(new NpgsqlParameter { Value = (long)rowLimit });
            return $"SELECT {list} FROM {from} AS src LIMIT $1";
        }

        var watermark = PostgresIdentifiers.Quote(names[watermarkIndex]);
        var type = WatermarkType(types[watermarkIndex], description);
        if (lastWatermark is not null)
        {
            // Bound as a parameter of the column's own type: the value is parsed here and sent as data, never as SQL.
            parameters.Add(new NpgsqlParameter { DataTypeName = type, Value = ParseWatermark(lastWatermark, type, description) });
        }

        string Rows(string alias) =>
            $"{alias}.{watermark} IS NOT NULL" + (lastWatermark is null ? "" : $" AND {alias}.{watermark} > $1");

        var where = Rows("src");
        if (Options.BatchLimit is { } limit)
        {
            // The batch ends at the watermark of its limit-th row and takes every row sharing it, so that the next
            // run ("greater than") misses none of them.
            parameters.Add(new NpgsqlParameter { Value = (long)(limit - 1) });
            var cut = $"SELECT c.{watermark} FROM {from} AS c WHERE {Rows("c")} ORDER BY c.{watermark} OFFSET ${parameters.Count} LIMIT 1";
            where += $" AND src.{watermark} <= COALESCE(({cut}), src.{watermark})";
        }

        return $"SELECT {list} FROM {from} AS src WHERE {where} ORDER BY src.{watermark}";
    }

    private static string WatermarkType(string type, string description) => type switch
    {
        "int2" or "int4" or "int8" or "numeric" or "float4" or "float8" or "date" or "timestamp" or "timestamptz"
            or "text" or "varchar" or "bpchar" or "name" or "uuid" => type,
        _ => throw new IngestException(
            $"{description}: the watermark column is of type {type}; use a number, date, timestamp, text or uuid column."),
    };

    private static object ParseWatermark(string value, string type, string description)
    {
        var invariant = CultureInfo.InvariantCulture;
        object? parsed = type switch
        {
            "int2" => short.TryParse(value, NumberStyles.Integer, invariant, out var s) ? s : null,
            "int4" => int.TryParse(value, NumberStyles.Integer, invariant, out var i) ? i : null,
            "int8" => long.TryParse(value, NumberStyles.Integer, invariant, out var l) ? l : null,
            "numeric" => decimal.TryParse(value, NumberStyles.Float, invariant, out var m) ? m : null,
            "float4" => float.TryParse(value, NumberStyles.Float, invariant, out var f) ? f : null,
            "float8" => double.TryParse(value, NumberStyles.Float, invariant, out var d) ? d : null,
            "date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", invariant, DateTimeStyles.None, out var date) ? date : null,
            "timestamp" => DateTime.TryParse(value, invariant, DateTimeStyles.RoundtripKind, out var t) && t.Kind == DateTimeKind.Unspecified ? t : null,
            "timestamptz" => DateTimeOffset.TryParse(value, invariant, DateTimeStyles.AssumeUniversal, out var tz) ? tz.UtcDateTime : null,
            "uuid" => Guid.TryParse(value, out var g) ? g : null,
            _ => value,
        };
        return parsed ?? throw new IngestException(
            $"{description}: the stored watermark '{(value.Length > 100 ? value[..100] + "…" : value)}' is not a valid {type} value.");
    }

    private static Kind KindOf(string type) => type switch
    {
        "text" or "varchar" or "bpchar" or "name" or "json" or "jsonb" => Kind.Text,
        "bool" => Kind.Bool,
        "int2" => Kind.Int2,
        "int4" => Kind.Int4,
        "int8" => Kind.Int8,
        "float4" => Kind.Float4,
        "float8" => Kind.Float8,
        "date" => Kind.Date,
        "timestamp" => Kind.Timestamp,
        "timestamptz" => Kind.TimestampTz,
        "time" => Kind.Time,
        "uuid" => Kind.Uuid,
        "bytea" => Kind.Bytea,
        _ => Kind.AsText,
    };

    private static async ValueTask<string?> RenderAsync(NpgsqlDataReader reader, int i, Kind kind, CancellationToken ct)
    {
        if (await reader.IsDBNullAsync(i, ct))
        {
            return null;
        }

        var invariant = CultureInfo.InvariantCulture;
        return kind switch
        {
            Kind.Bool => await reader.GetFieldValueAsync<bool>(i, ct) ? "true" : "false",
            Kind.Int2 => (await reader.GetFieldValueAsync<short>(i, ct)).ToString(invariant),
            Kind.Int4 => (await reader.GetFieldValueAsync<int>(i, ct)).ToString(invariant),
            Kind.Int8 => (await reader.GetFieldValueAsync<long>(i, ct)).ToString(invariant),
            Kind.Float4 => (await reader.GetFieldValueAsync<float>(i, ct)).ToString("R", invariant),
            Kind.Float8 => (await reader.GetFieldValueAsync<double>(i, ct)).ToString("R", invariant),
            Kind.Date => (await reader.GetFieldValueAsync<DateOnly>(i, ct)).ToString("yyyy-MM-dd", invariant),
            Kind.Timestamp => (await reader.GetFieldValueAsync<DateTime>(i, ct)).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", invariant),
            Kind.TimestampTz => (await reader.GetFieldValueAsync<DateTime>(i, ct)).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", invariant),
            Kind.Time => (await reader.GetFieldValueAsync<TimeOnly>(i, ct)).ToString("HH:mm:ss.FFFFFF", invariant),
            Kind.Uuid => (await reader.GetFieldValueAsync<Guid>(i, ct)).ToString("D"),
            Kind.Bytea => Convert.ToHexStringLower(await reader.GetFieldValueAsync<byte[]>(i, ct)),
            _ => await reader.GetFieldValueAsync<string>(i, ct),
        };
    }

    private int TimeoutSeconds() => (int)Math.Clamp(Math.Ceiling(Options.CommandTimeout.TotalSeconds), 1, int.MaxValue);

    private static string Describe(NpgsqlException e) =>
        e is PostgresException || e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})";

    private static string Scrub(string message, string? password) =>
        string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
}
