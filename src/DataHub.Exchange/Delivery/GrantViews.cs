using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DataHub.Catalog;
using DataHub.DuckDb;
using DataHub.Exchange.Masking;
using DataHub.Exchange.Requests;
using DataHub.Lake.Tables;

namespace DataHub.Exchange.Delivery;

/// <summary>
/// The exchange's DuckDB database: each grant compiled to one view over the current snapshot of its dataset — only
/// the granted columns, masked by grade (<see cref="MaskPlanner"/>), the grant's row filter always applied — and the
/// reads that deliver through it: pages of a query and streamed exports.
/// </summary>
/// <remarks>
/// No value from a request or a caller is written into SQL. The grant's filter values live in the table
/// <c>dh_grant_value</c>, inserted with bound parameters, and the view reads them with typed subqueries; a caller's
/// own conditions are bound parameters of the query over the view. Identifiers come from the catalog and are quoted.
/// A view is recompiled when its dataset gets a new snapshot.
/// </remarks>
public sealed partial class GrantViews : IDisposable
{
    private readonly string _connectionString = $"Data Source=:memory:datahub-exchange-{Guid.NewGuid():N}";
    private readonly DuckDbConnection _keeper;
    private readonly CatalogDefinitions _catalog;
    private readonly MaskPlanner _planner;
    private readonly LakeTables _tables;
    private readonly string _workDirectory;
    private readonly ConcurrentDictionary<long, CompiledGrant> _compiled = new();
    private readonly SemaphoreSlim _compileLock = new(1, 1);

    /// <summary>Opens the exchange's in-memory DuckDB database and registers the masks.</summary>
    /// <param name="catalog">The catalog the datasets come from.</param>
    /// <param name="masks">The masks by grade.</param>
    /// <param name="maskKey">The key of the keyed-hash mask, at least 16 bytes.</param>
    /// <param name="tables">The lake's tables.</param>
    /// <param name="workDirectory">A private directory for the pipes exports stream through.</param>
    public GrantViews(CatalogDefinitions catalog, MaskDefinitions masks, ReadOnlySpan<byte> maskKey, LakeTables tables, string workDirectory)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _planner = new MaskPlanner(catalog, masks ?? throw new ArgumentNullException(nameof(masks)));
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _workDirectory = Directory.CreateDirectory(workDirectory ?? throw new ArgumentNullException(nameof(workDirectory))).FullName;
        _keeper = new DuckDbConnection(_connectionString);
        _keeper.Open();
        MaskFunctions.Register(_keeper, maskKey, masks.HashLength);
        DataHub.Themes.Fusion.ThemeKeyFunctions.Register(_keeper);
        _keeper.Execute("CREATE TABLE dh_grant_value (grant_id BIGINT NOT NULL, cond INTEGER NOT NULL, ord INTEGER NOT NULL, v VARCHAR NOT NULL)");
    }

    /// <summary>Compiles the grant's view over the dataset's current snapshot, or returns the one compiled for it.</summary>
    /// <param name="grant">The grant (its validity is the caller's to check).</param>
    /// <param name="ct">Cancels the compilation.</param>
    /// <exception cref="ExchangeRefusedException">The dataset has no data yet (conflict), or a column may not leave.</exception>
    public async Task<CompiledGrant> CompileAsync(GrantRecord grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (!_catalog.TryGetDataset(grant.Dataset, out var dataset))
        {
            throw new ExchangeRefusedException([$"{grant.Dataset} is no longer catalogued"], ExchangeRefusal.Conflict);
        }

        if (!await _tables.ExistsAsync(grant.Dataset, ct))
        {
            throw new ExchangeRefusedException([$"{grant.Dataset} has no data in the lake yet"], ExchangeRefusal.Conflict);
        }

        var scan = await _tables.ScanAsync(grant.Dataset, LakeVersion.Current, ct);
        if (_compiled.TryGetValue(grant.Id, out var known) && known.SnapshotId == scan.Table.SnapshotId)
        {
            return known;
        }

        IReadOnlyList<PlannedColumn> plan;
        try
        {
            plan = _planner.Plan(dataset, grant.Columns, grant.PlainColumns.ToHashSet(StringComparer.Ordinal));
        }
        catch (MaskPlanRefusedException e)
        {
            throw new ExchangeRefusedException(e.Problems, ExchangeRefusal.Conflict);
        }

        await _compileLock.WaitAsync(ct);
        try
        {
            if (_compiled.TryGetValue(grant.Id, out known) && known.SnapshotId == scan.Table.SnapshotId)
            {
                return known;
            }

            var view = string.Create(CultureInfo.InvariantCulture, $"grant_{grant.Id}");
            using var connection = Open();
            using (var delete = connection.CreateCommand())
            {
                delete.CommandText = "DELETE FROM dh_grant_value WHERE grant_id = $grant";
                delete.Parameters.Add("grant", grant.Id);
                delete.ExecuteNonQuery();
            }

            var conditions = new List<string>();
            for (var i = 0; i < grant.Filters.Count; i++)
            {
                var filter = grant.Filters[i];
                var column = dataset.Columns.FirstOrDefault(c => c.Name == filter.Field)
                    ?? throw new ExchangeRefusedException([$"filters[{i}].field: {grant.Dataset} has no column '{filter.Field}' any more"], ExchangeRefusal.Conflict);
                for (var k = 0; k < filter.Values.Count; k++)
                {
                    using var insert = connection.CreateCommand();
                    insert.CommandText = "INSERT INTO dh_grant_value VALUES ($grant, $cond, $ord, $v)";
                    insert.Parameters.Add("grant", grant.Id);
                    insert.Parameters.Add("cond", i);
                    insert.Parameters.Add("ord", k);
                    insert.Parameters.Add("v", filter.Values[k]);
                    insert.ExecuteNonQuery();
                }

                conditions.Add(Condition(grant.Id, i, filter.Operator, column));
            }

            var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
            connection.Execute($"CREATE OR REPLACE VIEW {Quote(view)} AS SELECT {string.Join(", ", plan.Select(p => p.Sql))} FROM ({scan.Sql}) AS src{where}");
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var describe = connection.CreateCommand())
            {
                describe.CommandText = $"SELECT * FROM {Quote(view)} LIMIT 0";
                using var reader = describe.ExecuteReader();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    types[reader.GetName(i)] = reader.GetDataTypeName(i);
                }
            }

            var compiled = new CompiledGrant(grant.Id, view, scan.Table.SnapshotId, plan, types);
            _compiled[grant.Id] = compiled;
            return compiled;
        }
        finally
        {
            _compileLock.Release();
        }
    }

    /// <summary>Reads one page through the grant's view.</summary>
    /// <param name="grant">The compiled grant.</param>
    /// <param name="query">The caller's query, already checked by <see cref="Check"/>.</param>
    /// <param name="ct">Cancels the read (DuckDB is interrupted).</param>
    public GrantPage Query(CompiledGrant grant, GrantQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(query);
        var names = query.Columns.Count == 0 ? grant.Columns.Select(c => c.Column).ToList() : query.Columns.ToList();
        using var connection = Open();
        using var command = connection.CreateCommand();
        var conditions = new List<string>();
        var p = 0;
        foreach (var filter in query.Filters)
        {
            var kind = RowFilterRules.KindOf(grant.ColumnTypes[filter.Field]);
            var values = filter.Values.Select(v => RowFilterRules.Parse(kind, v)).ToList();
            var slots = new List<string>();
            foreach (var value in values)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"p{p++}");
                command.Parameters.Add(name, value);
                slots.Add("$" + name);
            }

            var id = Quote(filter.Field);
            conditions.Add(filter.Operator switch
            {
                "eq" => $"{id} = {slots[0]}",
                "in" => $"{id} IN ({string.Join(", ", slots)})",
                "between" => $"{id} BETWEEN {slots[0]} AND {slots[1]}",
                "lt" => $"{id} < {slots[0]}",
                "le" => $"{id} <= {slots[0]}",
                "gt" => $"{id} > {slots[0]}",
                "ge" => $"{id} >= {slots[0]}",
                "like_prefix" => $"starts_with({id}, {slots[0]})",
                _ => throw new ArgumentException($"unknown operator '{filter.Operator}'", nameof(query)),
            });
        }

        command.CommandText = $"SELECT {string.Join(", ", names.Select(Quote))} FROM {Quote(grant.ViewName)}"
            + (conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions))
            + " LIMIT $limit OFFSET $offset";
        command.Parameters.Add("limit", (long)query.Limit + 1);
        command.Parameters.Add("offset", query.Offset);
        using var cancel = ct.Register(command.Cancel);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        var more = false;
        while (reader.Read())
        {
            if (rows.Count == query.Limit)
            {
                more = true;
                break;
            }

            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        var planned = grant.Columns.ToDictionary(c => c.Column, StringComparer.Ordinal);
        var columns = names.Select(n => new GrantPageColumn(n, grant.ColumnTypes[n], MaskName(planned[n].Rule))).ToList();
        return new GrantPage(grant.GrantId, grant.SnapshotId, columns, rows, query.Offset, more ? query.Offset + rows.Count : null,
            names.Any(n => planned[n].Rule.Kind != MaskKind.Plain));
    }

    /// <summary>
    /// Every problem of a caller's query against a compiled grant: columns outside the grant (<c>*</c> included),
    /// conditions on columns outside it, operators and values that do not fit the delivered type, a page too large.
    /// </summary>
    /// <param name="grant">The compiled grant.</param>
    /// <param name="query">The caller's query.</param>
    /// <returns>Problems named by field (<c>columns[0]</c>, <c>filters[1].values[0]</c>, <c>limit</c>); empty when it may run.</returns>
    public static IReadOnlyList<string> Check(CompiledGrant grant, GrantQuery query)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(query);
        var problems = new List<string>();
        for (var i = 0; i < query.Columns.Count; i++)
        {
            if (!grant.ColumnTypes.ContainsKey(query.Columns[i] ?? string.Empty))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"columns[{i}]: '{Printable(query.Columns[i])}' is not a granted column"));
            }
        }

        if (query.Columns.Distinct(StringComparer.Ordinal).Count() != query.Columns.Count)
        {
            problems.Add("columns: a column is named more than once");
        }

        if (query.Limit is < 1 or > GrantQuery.MaxLimit)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"limit: {query.Limit} is not between 1 and {GrantQuery.MaxLimit}"));
        }

        if (query.Offset is < 0 or > GrantQuery.MaxOffset)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"offset: {query.Offset} is not between 0 and {GrantQuery.MaxOffset}; export the grant instead"));
        }

        if (query.Filters.Count > 32)
        {
            problems.Add("filters: at most 32 conditions");
        }

        for (var i = 0; i < query.Filters.Count && i < 32; i++)
        {
            var filter = query.Filters[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"filters[{i}]");
            if (filter is null || !grant.ColumnTypes.TryGetValue(filter.Field ?? string.Empty, out var type))
            {
                problems.Add($"{at}.field: '{Printable(filter?.Field)}' is not a granted column");
                continue;
            }

            var kind = RowFilterRules.KindOf(type);
            var allowed = RowFilterRules.OperatorsFor(kind);
            if (!allowed.Contains(filter.Operator))
            {
                problems.Add($"{at}.operator: '{Printable(filter.Operator)}' does not apply to {filter.Field} ({type}); use {string.Join(", ", allowed)}");
                continue;
            }

            var count = filter.Values?.Count ?? 0;
            if (RowFilterRules.CountProblem(filter.Operator, count) is { } wrongCount)
            {
                problems.Add($"{at}.values: {wrongCount}");
                continue;
            }

            for (var v = 0; v < count; v++)
            {
                var value = filter.Values![v];
                if (value is null || value.Length > 1000 || RowFilterRules.Parse(kind, value) is null)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.values[{v}]: not a {kind} value for {filter.Field} ({type})"));
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// Streams the whole grant in a file format: DuckDB's COPY writes into a private named pipe and every byte read
    /// from it is hashed and written to <paramref name="destination"/>, so memory stays bounded whatever the size.
    /// </summary>
    /// <param name="grant">The compiled grant.</param>
    /// <param name="format">parquet, csv or json (newline-delimited).</param>
    /// <param name="destination">Where the bytes go (the HTTP response body).</param>
    /// <param name="ct">Cancels the export: DuckDB is interrupted and the pipe closed.</param>
    /// <returns>Rows and bytes sent, and the SHA-256 of the bytes.</returns>
    public async Task<ExportReceipt> ExportAsync(CompiledGrant grant, string format, Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(destination);
        var options = ExportFormat.CopyOptions(format);
        var pipe = Path.Combine(_workDirectory, $"export-{Guid.NewGuid():N}.{ExportFormat.Extension(format)}");
        Fifo.Create(pipe);
        var connection = Open();
        try
        {
            var copy = Task.Run(() =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"COPY (SELECT * FROM {Quote(grant.ViewName)}) TO '{pipe.Replace("'", "''", StringComparison.Ordinal)}' ({options})";
                return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            }, CancellationToken.None);
            _ = copy.ContinueWith(_ => Release(pipe), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long bytes = 0;
            using (var cancel = ct.Register(connection.Interrupt))
            {
                try
                {
                    await using var source = await Task.Run(() => new FileStream(pipe, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1), ct);
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await source.ReadAsync(buffer, ct)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await destination.WriteAsync(buffer.AsMemory(0, read), ct);
                        bytes += read;
                    }
                }
                catch
                {
                    connection.Interrupt();
                    throw;
                }
            }

            var rows = await copy;
            return new ExportReceipt(rows, bytes, hash.GetHashAndReset());
        }
        finally
        {
            connection.Dispose();
            File.Delete(pipe);
        }
    }

    /// <summary>
    /// DuckDB's own COPY of a grant's view to a file, nothing else in between: the baseline the export benchmark
    /// measures the HTTP export against. Not reachable from the API; the path is the operator's.
    /// </summary>
    /// <param name="grant">The compiled grant.</param>
    /// <param name="format">parquet, csv or json.</param>
    /// <param name="path">The file to write (replaced).</param>
    /// <returns>Rows written.</returns>
    public long CopyToFile(CompiledGrant grant, string format, string path)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY (SELECT * FROM {Quote(grant.ViewName)}) TO '{Path.GetFullPath(path).Replace("'", "''", StringComparison.Ordinal)}' ({ExportFormat.CopyOptions(format)})";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Prepares the grant's verification answers at the dataset's current snapshot: every row's normalised key with
    /// its granted columns — masked, the grant's row filter applied — read once into an in-memory
    /// <see cref="VerifyTable"/> (sorted keys and a JSON answer per row), so that a lookup costs a binary search rather
    /// than a query. Rebuilt when a new snapshot lands; the snapshot is looked up at most once a second.
    /// </summary>
    /// <param name="grant">The grant (its validity is the caller's to check).</param>
    /// <param name="keyColumn">The dataset's column holding the ID number or credit code.</param>
    /// <param name="creditCode">True for a credit code key, false for a citizen ID number.</param>
    /// <param name="ct">Cancels the preparation.</param>
    public async Task<CompiledGrant> CompileVerifyAsync(GrantRecord grant, string keyColumn, bool creditCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var now = Environment.TickCount64;
        if (_verify.TryGetValue(grant.Id, out var known) && now - known.CheckedAt < 1000)
        {
            return known.View;
        }

        // Once a second one caller asks the lake for the current snapshot; the others meanwhile answer from the
        // snapshot prepared before (at most a second old, as they would have anyway) instead of all asking at once.
        if (known is not null && Interlocked.CompareExchange(ref known.Refreshing, 1, 0) != 0)
        {
            return known.View;
        }

        try
        {
            return await RefreshVerifyAsync(grant, keyColumn, creditCode, known, now, ct);
        }
        finally
        {
            if (known is not null)
            {
                Volatile.Write(ref known.Refreshing, 0);
            }
        }
    }

    private async Task<CompiledGrant> RefreshVerifyAsync(GrantRecord grant, string keyColumn, bool creditCode, VerifyEntry? known, long now, CancellationToken ct)
    {
        if (!await _tables.ExistsAsync(grant.Dataset, ct))
        {
            throw new ExchangeRefusedException([$"{grant.Dataset} has no data in the lake yet"], ExchangeRefusal.Conflict);
        }

        var current = (await _tables.GetTableAsync(grant.Dataset, LakeVersion.Current, ct)).SnapshotId;
        if (known is not null && known.View.SnapshotId == current)
        {
            _verify[grant.Id] = new VerifyEntry(known.View, now, known.Table);
            return known.View;
        }

        var plain = await CompileAsync(grant, ct); // the masks and filter, planned and checked
        var dataset = _catalog.TryGetDataset(grant.Dataset, out var d) ? d : throw new InvalidOperationException(grant.Dataset);
        var scan = await _tables.ScanAsync(grant.Dataset, LakeVersion.Current, ct);
        var function = creditCode ? DataHub.Themes.Fusion.ThemeKeyFunctions.CreditCode : DataHub.Themes.Fusion.ThemeKeyFunctions.CitizenId;
        var conditions = new List<string> { $"{function}(CAST(src.{Quote(keyColumn)} AS VARCHAR)) IS NOT NULL" };
        for (var i = 0; i < grant.Filters.Count; i++)
        {
            conditions.Add(Condition(grant.Id, i, grant.Filters[i].Operator, dataset.Columns.First(c => c.Name == grant.Filters[i].Field)));
        }

        var fields = string.Join(", ", plain.Columns.Select(p => $"'{p.Column.Replace("'", "''", StringComparison.Ordinal)}': v.{Quote(p.Column)}"));
        var sql = $"""
            SELECT v.k, to_json({"{"}{fields}{"}"})::VARCHAR FROM (
                SELECT {function}(CAST(src.{Quote(keyColumn)} AS VARCHAR)) AS k, {string.Join(", ", plain.Columns.Select(p => p.Sql))}
                FROM ({scan.Sql}) AS src WHERE {string.Join(" AND ", conditions)}) AS v
            ORDER BY v.k
            """;
        var table = await Task.Run(() =>
        {
            using var connection = Open();
            return VerifyTable.Load(connection, sql);
        }, ct);
        var compiled = plain with { ViewName = string.Create(CultureInfo.InvariantCulture, $"verify_{grant.Id}"), SnapshotId = scan.Table.SnapshotId };
        _verify[grant.Id] = new VerifyEntry(compiled, now, table);
        return compiled;
    }

    /// <summary>The granted columns (as a JSON object) of the first row whose normalised key is <paramref name="key"/>.</summary>
    /// <param name="grant">From <see cref="CompileVerifyAsync"/>.</param>
    /// <param name="key">The canonical 18-character key.</param>
    /// <returns>The JSON of the first matching row, and how many rows matched (0, 1, or 2 meaning more than one).</returns>
    public (string? Json, int Matches) Lookup(CompiledGrant grant, string key)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return _verify.TryGetValue(grant.GrantId, out var entry) && entry.View.SnapshotId == grant.SnapshotId
            ? entry.Table.Find(key)
            : throw new InvalidOperationException($"grant {grant.GrantId} is not prepared for verification; call CompileVerifyAsync first");
    }

    private sealed class VerifyEntry(CompiledGrant view, long checkedAt, VerifyTable table)
    {
        public CompiledGrant View { get; } = view;

        public long CheckedAt { get; } = checkedAt;

        public VerifyTable Table { get; } = table;

        /// <summary>1 while one caller checks the lake's current snapshot.</summary>
        public int Refreshing;
    }

    private readonly ConcurrentDictionary<long, VerifyEntry> _verify = new();

    /// <summary>Forgets compiled views (the next use recompiles).</summary>
    /// <param name="grantId">The grant whose view to drop.</param>
    public void Forget(long grantId) => _compiled.TryRemove(grantId, out _);

    /// <inheritdoc />
    public void Dispose()
    {
        _keeper.Dispose();
        _compileLock.Dispose();
    }

    private DuckDbConnection Open()
    {
        var connection = new DuckDbConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Unblocks a reader waiting on the pipe when COPY failed before opening it.</summary>
    private static void Release(string pipe)
    {
        try
        {
            using var writer = new FileStream(pipe, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
        }
        catch (IOException)
        {
            // The pipe is gone: nobody waits on it.
        }
    }

    private static string Condition(long grantId, int cond, string op, DatasetColumnDefinition column)
    {
        var type = SafeType().IsMatch(column.DataType) ? column.DataType
            : throw new InvalidOperationException($"{column.Name}: type '{column.DataType}' cannot be used in a grant's filter");
        var id = "src." + Quote(column.Name);
        string Value(int ord) => string.Create(CultureInfo.InvariantCulture,
            $"(SELECT CAST(v AS {type}) FROM dh_grant_value WHERE grant_id = {grantId} AND cond = {cond} AND ord = {ord})");
        return op switch
        {
            "eq" => $"{id} = {Value(0)}",
            "in" => string.Create(CultureInfo.InvariantCulture, $"{id} IN (SELECT CAST(v AS {type}) FROM dh_grant_value WHERE grant_id = {grantId} AND cond = {cond})"),
            "between" => $"{id} BETWEEN {Value(0)} AND {Value(1)}",
            "lt" => $"{id} < {Value(0)}",
            "le" => $"{id} <= {Value(0)}",
            "gt" => $"{id} > {Value(0)}",
            "ge" => $"{id} >= {Value(0)}",
            "like_prefix" => $"starts_with({id}, {Value(0)})",
            _ => throw new InvalidOperationException($"unknown operator '{op}' in a stored grant"),
        };
    }

    private static string MaskName(MaskRule rule) => rule.Kind switch
    {
        MaskKind.Keep => string.Create(CultureInfo.InvariantCulture, $"keep({rule.First},{rule.Last})"),
        MaskKind.Address => rule.Cut == AddressCut.County ? "address(county)" : "address(township)",
        _ => rule.Kind.ToString().ToLowerInvariant(),
    };

    private static string Printable(string? text) =>
        text is null ? "null" : text.Length > 64 ? string.Concat(Escape(text[..64]), "…") : Escape(text);

    private static string Escape(string text) => string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString()));

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^[A-Z]+(\(\d{1,2}(,\s*\d{1,2})?\))?$")]
    private static partial Regex SafeType();
}
