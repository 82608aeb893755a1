using System.Diagnostics;
using System.Globalization;
using DataHub.DuckDb;
using DataHub.Lake.Tables;
using DataHub.Themes.Definitions;
using DataHub.Themes.Spatial;

namespace DataHub.Themes.Fusion;

/// <summary>
/// Builds a theme table by fusion, in DuckDB over the lake. Each source's rows (as selected by its conditions) are
/// keyed by the normalised identifier; every field value becomes a candidate (key, field, value, source, snapshot,
/// observed_at); per key and field the candidate ranked first by the field's rule wins (<see cref="ThemePick"/>). The
/// golden record keeps, per field, <c>{field}__source</c> and <c>{field}__snapshot</c> (the source snapshot the value was
/// read at), and <c>sources</c>, the sources that supplied at least one of its fields. Where the sources that have a
/// field disagree (compared trimmed and case-folded), the key, field, values and sources are a conflict, written to
/// <see cref="ThemeDefinition.ConflictsTable"/>.
/// </summary>
/// <remarks>
/// Builds are incremental. The candidates of the last build are kept in the theme's own DuckDB file
/// (<c>{stateDirectory}/{theme}.duckdb</c>) with the snapshot of each source they came from. The next build reads only
/// the change feed of each source since that snapshot (<see cref="LakeTables.ChangesSqlAsync"/>): candidates of deleted
/// rows go (matched by a hash of the row), those of inserted rows come in, and only the keys touched are ranked again
/// and replaced in the theme table and its conflicts — as a delta merged on read (<see cref="LakeTables.ReplaceKeysAsync"/>),
/// so the table's files are not rewritten. A changed definition, a new source or another DuckDB version
/// makes the build full. A full build gives the same records (tested).
/// </remarks>
/// <param name="tables">The lake's tables.</param>
/// <param name="stateDirectory">Where the themes' DuckDB files are kept, such as <c>$DATAHUB_HOME/themes</c>.</param>
public sealed class ThemeBuilder(LakeTables tables, string stateDirectory)
{
    private readonly LakeTables _tables = tables ?? throw new ArgumentNullException(nameof(tables));
    private readonly string _stateDirectory = stateDirectory ?? throw new ArgumentNullException(nameof(stateDirectory));
    private readonly Lock _libraryGate = new();

    /// <summary>
    /// An incremental build writes the touched keys as a delta merged on read until the delta would exceed this share of
    /// the table's rows; then it folds the delta into the table (one rewrite). Default: <see cref="LakeTables.DefaultFoldFraction"/>.
    /// </summary>
    public double DeltaFoldFraction { get; init; } = LakeTables.DefaultFoldFraction;
    private (long Snapshot, Geocoder Geocoder)? _library;

    /// <summary>The theme table's columns: the key, each field, then each field's source and snapshot, then the sources.</summary>
    /// <param name="theme">The theme.</param>
    public static IReadOnlyList<LakeColumnDefinition> Columns(ThemeDefinition theme)
    {
        ArgumentNullException.ThrowIfNull(theme);
        var columns = new List<LakeColumnDefinition> { new(theme.KeyField, "VARCHAR") };
        columns.AddRange(theme.Fields.Select(f => new LakeColumnDefinition(f.Name, f.Type)));
        columns.AddRange(theme.Fields.SelectMany(f => f.LinkColumns).Select(c => new LakeColumnDefinition(c.Name, c.Type)));
        foreach (var field in theme.Fields)
        {
            columns.Add(new(field.Name + "__source", "VARCHAR"));
            columns.Add(new(field.Name + "__snapshot", "BIGINT"));
        }

        columns.Add(new("sources", "VARCHAR"));
        return columns;
    }

    /// <summary>The history table's columns: the key, the event's date, the event, its source and the source snapshot read.</summary>
    /// <param name="theme">The theme.</param>
    public static IReadOnlyList<LakeColumnDefinition> HistoryColumns(ThemeDefinition theme)
    {
        ArgumentNullException.ThrowIfNull(theme);
        return [new(theme.KeyField, "VARCHAR"), new("event_date", "DATE"), new("event", "VARCHAR"), new("source", "VARCHAR"), new("snapshot", "BIGINT")];
    }

    /// <summary>The conflicts table's columns.</summary>
    public static IReadOnlyList<LakeColumnDefinition> ConflictColumns { get; } =
        [new("key", "VARCHAR"), new("field", "VARCHAR"), new("chosen", "VARCHAR"), new("chosen_source", "VARCHAR"), new("values", "VARCHAR"), new("sources", "VARCHAR"), new("value_count", "BIGINT")];

    /// <summary>
    /// Builds the theme from the current snapshots of its sources and commits it: incrementally from the last build's
    /// state when there is one that fits, in full otherwise (or when <paramref name="full"/> is set).
    /// </summary>
    /// <param name="theme">The theme.</param>
    /// <param name="author">Who builds (for the lake commits).</param>
    /// <param name="full">Rebuild everything even when an incremental build is possible.</param>
    /// <param name="ct">Cancels the build.</param>
    public async Task<ThemeBuildResult> BuildAsync(ThemeDefinition theme, string author, bool full, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(theme);
        var started = Stopwatch.GetTimestamp();
        Directory.CreateDirectory(_stateDirectory);
        var file = Path.Combine(_stateDirectory, theme.Name + ".duckdb");
        var (geocoder, librarySnapshot) = await GeocoderAsync(theme, ct);
        var signature = Signature(theme, librarySnapshot);
        if (!full && !await CanContinueAsync(file, theme, signature, ct))
        {
            full = true;
        }

        if (full)
        {
            File.Delete(file);
            File.Delete(file + ".wal");
        }

        var phases = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var mark = Stopwatch.GetTimestamp();
        void Phase(string name)
        {
            phases[name] = Stopwatch.GetElapsedTime(mark);
            mark = Stopwatch.GetTimestamp();
        }

        using var duck = new DuckDbConnection($"Data Source={file}");
        duck.Open();
        ThemeKeyFunctions.Register(duck);
        await EnsureTablesAsync(theme, author, ct);
        var reports = full ? await StageFullAsync(duck, theme, ct) : await StageChangesAsync(duck, theme, ct);
        var written = Scalar(duck, "SELECT count(*) FROM dh_affected");
        Phase("stage");
        long snapshot;
        var geocoded = (Addresses: 0L, Matched: 0L);
        if (full)
        {
            Rank(duck, "true");
            Phase("rank");
            geocoded = Link(duck, theme, geocoder);
            Phase("geocode");
            snapshot = (await _tables.OverwriteAsync(duck, theme.Table, GoldenSql(theme), new LakeCommit(author, $"theme {theme.Name}: full build"), ct)).Snapshot.Id;
            Phase("write");
            await _tables.OverwriteAsync(duck, theme.ConflictsTable, ConflictsSql(theme), new LakeCommit(author, $"theme {theme.Name}: conflicts"), ct);
            Phase("conflicts");
            if (theme.History is { } history)
            {
                await _tables.OverwriteAsync(duck, history.Table, HistorySql(theme, "true"), new LakeCommit(author, $"theme {theme.Name}: history"), ct);
                Phase("history");
            }
        }
        else if (written > 0)
        {
            Rank(duck, "key IN (SELECT key FROM dh_affected)");
            Phase("rank");
            geocoded = Link(duck, theme, geocoder);
            Phase("geocode");
            // The touched keys' records, conflicts and events replace theirs as a delta merged on read (the table's
            // files stay; a delta grown past a tenth of the table is folded into it).
            const string touched = "SELECT key FROM dh_affected";
            snapshot = (await _tables.ReplaceKeysAsync(duck, theme.Table, touched, GoldenSql(theme), new LakeCommit(author, $"theme {theme.Name}: incremental build"), DeltaFoldFraction, ct)).Snapshot.Id;
            Phase("write");
            await _tables.ReplaceKeysAsync(duck, theme.ConflictsTable, touched, ConflictsSql(theme), new LakeCommit(author, $"theme {theme.Name}: conflicts"), DeltaFoldFraction, ct);
            Phase("conflicts");
            if (theme.History is { } history)
            {
                await _tables.ReplaceKeysAsync(duck, history.Table, touched, HistorySql(theme, "key IN (SELECT key FROM dh_affected)"), new LakeCommit(author, $"theme {theme.Name}: history"), DeltaFoldFraction, ct);
                Phase("history");
            }
        }
        else
        {
            snapshot = (await _tables.GetTableAsync(theme.Table, LakeVersion.Current, ct)).SnapshotId;
        }

        SaveState(duck, signature, reports);
        var records = (await _tables.ScanAsync(theme.Table, LakeVersion.Current, ct)).RowCount;
        var conflicts = (await _tables.ScanAsync(theme.ConflictsTable, LakeVersion.Current, ct)).RowCount;
        Phase("state");
        return new ThemeBuildResult(theme.Name, theme.Table, full ? "full" : "incremental", records, full ? records : written, conflicts, reports, snapshot, Stopwatch.GetElapsedTime(started))
        {
            Phases = phases,
            AddressesGeocoded = geocoded.Addresses,
            AddressesMatched = geocoded.Matched,
            LibrarySnapshotId = librarySnapshot,
        };
    }

    /// <summary>Stages every source whole into the candidate and event tables; every key is affected.</summary>
    private async Task<List<ThemeSourceReport>> StageFullAsync(DuckDbConnection duck, ThemeDefinition theme, CancellationToken ct)
    {
        duck.Execute(CandidateTable + "; " + EventTable);
        var reports = new List<ThemeSourceReport>();
        for (var i = 0; i < theme.Sources.Count; i++)
        {
            var source = theme.Sources[i];
            if (!await _tables.ExistsAsync(source.Dataset, ct))
            {
                reports.Add(new ThemeSourceReport(source.Id, source.Dataset, null, 0, 0));
                continue;
            }

            var scan = await _tables.ScanAsync(source.Dataset, LakeVersion.Current, ct);
            var staged = string.Create(CultureInfo.InvariantCulture, $"dh_source_{i}");
            Stage(duck, theme, source, staged, scan.Sql, withChange: false);
            Resolve(duck, source, staged);
            Insert(duck, theme, source, staged, scan.Table.SnapshotId, null);
            reports.Add(Report(duck, source, staged, scan.Table.SnapshotId));
        }

        duck.Execute("CREATE TEMP TABLE dh_affected AS SELECT DISTINCT key FROM (SELECT key FROM dh_candidate UNION ALL SELECT key FROM dh_event)");
        return reports;
    }

    /// <summary>
    /// Applies each source's changes since the last build to the candidate and event tables; the keys they touch are
    /// affected. A source whose old taxpayer numbers another source resolves is staged whole again when that source
    /// changed (its keys decide what the old numbers stand for), so the result stays that of a full build.
    /// </summary>
    private async Task<List<ThemeSourceReport>> StageChangesAsync(DuckDbConnection duck, ThemeDefinition theme, CancellationToken ct)
    {
        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var read = duck.CreateCommand())
        {
            read.CommandText = "SELECT source, snapshot FROM dh_state";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                known[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var reports = new List<ThemeSourceReport>();
        var affected = new List<string>();
        var changed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < theme.Sources.Count; i++)
        {
            var source = theme.Sources[i];
            var current = (await _tables.GetTableAsync(source.Dataset, LakeVersion.Current, ct)).SnapshotId;
            var restage = source.OldNumbersFrom is { } resolver && changed.Contains(resolver);
            if (known[source.Id] == current && !restage)
            {
                reports.Add(new ThemeSourceReport(source.Id, source.Dataset, current, 0, 0));
                continue;
            }

            changed.Add(source.Id);
            var staged = string.Create(CultureInfo.InvariantCulture, $"dh_change_{i}");
            if (restage)
            {
                var prior = string.Create(CultureInfo.InvariantCulture, $"dh_prior_{i}");
                duck.Execute($"CREATE TEMP TABLE {prior} AS SELECT key FROM dh_candidate WHERE source = '{source.Id}' UNION SELECT key FROM dh_event WHERE source = '{source.Id}'");
                duck.Execute($"DELETE FROM dh_candidate WHERE source = '{source.Id}'; DELETE FROM dh_event WHERE source = '{source.Id}'");
                var scan = await _tables.ScanAsync(source.Dataset, LakeVersion.Current, ct);
                Stage(duck, theme, source, staged, scan.Sql, withChange: false);
                Resolve(duck, source, staged);
                Insert(duck, theme, source, staged, current, null);
                affected.Add($"SELECT key FROM {prior}");
            }
            else
            {
                var changes = await _tables.ChangesSqlAsync(source.Dataset, known[source.Id], current, ct);
                Stage(duck, theme, source, staged, changes, withChange: true);
                Resolve(duck, source, staged);
                duck.Execute($"""
                    DELETE FROM dh_candidate WHERE source = '{source.Id}' AND row_hash IN (SELECT row_hash FROM {staged} WHERE _change = 'delete');
                    DELETE FROM dh_event WHERE source = '{source.Id}' AND row_hash IN (SELECT row_hash FROM {staged} WHERE _change = 'delete')
                    """);
                Insert(duck, theme, source, staged, current, "_change = 'insert'");
            }

            affected.Add($"SELECT key FROM {staged} WHERE key IS NOT NULL");
            reports.Add(Report(duck, source, staged, current));
        }

        duck.Execute(affected.Count == 0
            ? "CREATE TEMP TABLE dh_affected (key VARCHAR)"
            : $"CREATE TEMP TABLE dh_affected AS SELECT DISTINCT key FROM ({string.Join(" UNION ALL ", affected)})");
        return reports;
    }

    private const string CandidateTable =
        "CREATE TABLE dh_candidate (key VARCHAR, field VARCHAR, value VARCHAR, source VARCHAR, snapshot BIGINT, observed_at TIMESTAMP, priority INTEGER, by_recency BOOLEAN, row_hash UBIGINT)";

    private const string EventTable =
        "CREATE TABLE dh_event (key VARCHAR, event VARCHAR, event_date DATE, source VARCHAR, snapshot BIGINT, row_hash UBIGINT)";

    private static ThemeSourceReport Report(DuckDbConnection duck, ThemeSource source, string staged, long snapshot) =>
        new(source.Id, source.Dataset, snapshot, Scalar(duck, $"SELECT count(*) FROM {staged}"), Scalar(duck, $"SELECT count(*) FROM {staged} WHERE key IS NULL"))
        {
            OldNumbers = source.OldNumbersFrom is null ? 0 : Scalar(duck, $"SELECT count(*) FROM {staged} WHERE key IS NOT NULL AND length(trim(raw_key)) = 15"),
        };

    /// <summary>
    /// Stages a source's rows (a scan, or a change feed with <c>_change</c>): one row per role (key it names) with the
    /// normalised key, the key as written, a hash of the row and role, each field's value as the role reads it
    /// (<c>f_{field}</c>), observed_at, and per history event of the source whether the row is one and its date — selected
    /// by the source's and the role's conditions. Every value from the definition (conditions, maps, constants) is bound.
    /// </summary>
    private static void Stage(DuckDbConnection duck, ThemeDefinition theme, ThemeSource source, string staged, string fromSql, bool withChange)
    {
        var keyFunction = theme.KeyKind == ThemeKeyKind.CitizenId ? ThemeKeyFunctions.CitizenId : ThemeKeyFunctions.CreditCode;
        using var stage = duck.CreateCommand();
        var slot = 0;
        string Bind(string value)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"p{slot++}");
            stage.Parameters.Add(name, value);
            return "$" + name;
        }

        static string Col(string column) => $"CAST(src.{Quote(column)} AS VARCHAR)";
        string Conditions(IEnumerable<ThemeCondition> where)
        {
            var all = where.Select(w =>
            {
                var parts = new List<string>();
                var listed = w.Values.Where(v => v.Length > 0).Select(Bind).ToList();
                if (listed.Count > 0)
                {
                    parts.Add($"{Col(w.Column)} IN ({string.Join(", ", listed)})");
                }

                if (w.Values.Contains(string.Empty))
                {
                    parts.Add($"({Col(w.Column)} IS NULL OR trim({Col(w.Column)}) = '')");
                }

                return "(" + string.Join(" OR ", parts) + ")";
            }).ToList();
            return all.Count == 0 ? "true" : string.Join(" AND ", all);
        }

        string Value(ThemeValue value) => value switch
        {
            { Constant: { } constant } => Bind(constant),
            { Column: { } column, Map: null } => Col(column),
            { Column: { } column, Map: { } map } => $"CASE {Col(column)} {string.Join(" ", map.Select(m => $"WHEN {Bind(m.Key)} THEN {Bind(m.Value)}"))} END",
            _ => $"concat_ws(' ', {string.Join(", ", value.Concat.Select(Col))})",
        };

        var events = (theme.History?.Events ?? []).Select((e, n) => (Event: e, N: n)).Where(e => e.Event.Source == source.Id).ToList();
        var used = source.ColumnsRead.Concat(events.SelectMany(e => e.Event.Where.Select(w => w.Column).Append(e.Event.DateColumn).Concat(e.Event.After is null ? [] : [e.Event.After])))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var fields = theme.Fields.Where(f => source.Fields.ContainsKey(f.Name)).ToList();
        var observed = source.ObservedAt is null ? "CAST(NULL AS TIMESTAMP)" : $"CAST(src.{Quote(source.ObservedAt)} AS TIMESTAMP)";
        var sourceWhere = Conditions(source.Where);
        var selects = new List<string>();
        for (var r = 0; r < source.Roles.Count; r++)
        {
            var role = source.Roles[r];
            var columns = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture, $"{r} AS role"),
                $"{keyFunction}({Col(role.KeyColumn)}) AS key",
                $"{Col(role.KeyColumn)} AS raw_key",
                string.Create(CultureInfo.InvariantCulture, $"hash({r}, {string.Join(", ", used.Select(Col))}) AS row_hash"),
            };
            columns.AddRange(fields.Select(f => $"{(role.Fields.TryGetValue(f.Name, out var v) ? Value(v) : "CAST(NULL AS VARCHAR)")} AS {Quote("f_" + f.Name)}"));
            columns.Add($"{observed} AS observed_at");
            foreach (var (e, n) in events)
            {
                var after = e.After is null ? string.Empty : $" AND src.{Quote(e.DateColumn)} > src.{Quote(e.After)}";
                columns.Add(string.Create(CultureInfo.InvariantCulture, $"coalesce({Conditions(e.Where)}{after}, false) AS e{n}_ok"));
                columns.Add(string.Create(CultureInfo.InvariantCulture, $"CAST(src.{Quote(e.DateColumn)} AS DATE) AS e{n}_date"));
            }

            selects.Add($"SELECT {(withChange ? "src._change, " : string.Empty)}{string.Join(", ", columns)} FROM ({fromSql}) AS src WHERE {sourceWhere} AND {Conditions(role.Where)}");
        }

        stage.CommandText = $"CREATE TEMP TABLE {staged} AS {string.Join("\nUNION ALL\n", selects)}";
        stage.ExecuteNonQuery();
    }

    /// <summary>
    /// Old 15-character taxpayer numbers (characters 3–17 of a credit code) get the credit code of the resolving
    /// source that has exactly one key with those characters; others stay without a key.
    /// </summary>
    private static void Resolve(DuckDbConnection duck, ThemeSource source, string staged)
    {
        if (source.OldNumbersFrom is not { } resolver)
        {
            return;
        }

        duck.Execute($"""
            UPDATE {staged} SET key = m.code
            FROM (SELECT substr(key, 3, 15) AS old, min(key) AS code FROM dh_candidate WHERE source = '{resolver}' GROUP BY 1 HAVING count(DISTINCT key) = 1) AS m
            WHERE {staged}.key IS NULL AND length(trim({staged}.raw_key)) = 15 AND upper(trim({staged}.raw_key)) = m.old
            """);
    }

    /// <summary>Inserts the staged rows' candidates (one per field the source supplies) and events.</summary>
    private static void Insert(DuckDbConnection duck, ThemeDefinition theme, ThemeSource source, string staged, long snapshot, string? condition)
    {
        var only = condition is null ? string.Empty : " AND " + condition;
        var selects = new List<string>();
        foreach (var field in theme.Fields)
        {
            var priority = field.Priority.ToList().IndexOf(source.Id);
            if (priority < 0 || !source.Fields.ContainsKey(field.Name))
            {
                continue;
            }

            var value = Quote("f_" + field.Name);
            selects.Add(string.Create(CultureInfo.InvariantCulture, $"""
                SELECT key, '{field.Name}' AS field, {value} AS value, '{source.Id}' AS source, {snapshot}::BIGINT AS snapshot,
                       observed_at, {priority} AS priority, {(field.Pick == ThemePick.Recency ? "true" : "false")} AS by_recency, row_hash
                FROM {staged} WHERE key IS NOT NULL AND {value} IS NOT NULL AND trim({value}) <> ''{only}
                """));
        }

        if (selects.Count > 0)
        {
            duck.Execute("INSERT INTO dh_candidate " + string.Join("\nUNION ALL\n", selects)); // one statement: DuckDB scans the staged rows in parallel
        }

        var events = theme.History?.Events ?? [];
        for (var n = 0; n < events.Count; n++)
        {
            if (events[n].Source == source.Id)
            {
                duck.Execute(string.Create(CultureInfo.InvariantCulture, $"""
                    INSERT INTO dh_event
                    SELECT key, '{events[n].Event}', e{n}_date, '{source.Id}', {snapshot}::BIGINT, row_hash
                    FROM {staged} WHERE key IS NOT NULL AND e{n}_ok AND e{n}_date IS NOT NULL{only}
                    """));
            }
        }
    }

    /// <summary>Whether the state file fits this definition, this DuckDB and every source it names.</summary>
    private async Task<bool> CanContinueAsync(string file, ThemeDefinition theme, string signature, CancellationToken ct)
    {
        if (!File.Exists(file) || !await _tables.ExistsAsync(theme.Table, ct) || !await _tables.ExistsAsync(theme.ConflictsTable, ct)
            || (theme.History is { } history && !await _tables.ExistsAsync(history.Table, ct)))
        {
            return false;
        }

        foreach (var source in theme.Sources)
        {
            if (!await _tables.ExistsAsync(source.Dataset, ct))
            {
                return false;
            }
        }

        using var duck = new DuckDbConnection($"Data Source={file}");
        duck.Open();
        using var read = duck.CreateCommand();
        read.CommandText = "SELECT (SELECT signature FROM dh_meta) = $signature AND (SELECT count(*) FROM dh_state) = $sources";
        read.Parameters.Add("signature", signature);
        read.Parameters.Add("sources", (long)theme.Sources.Count);
        try
        {
            return read.ExecuteScalar() is true;
        }
        catch (DuckDbException)
        {
            return false; // an unfinished or foreign file: build in full
        }
    }

    private static void SaveState(DuckDbConnection duck, string signature, IReadOnlyList<ThemeSourceReport> reports)
    {
        duck.Execute("CREATE TABLE IF NOT EXISTS dh_state (source VARCHAR PRIMARY KEY, dataset VARCHAR, snapshot BIGINT); CREATE OR REPLACE TABLE dh_meta (signature VARCHAR)");
        using (var meta = duck.CreateCommand())
        {
            meta.CommandText = "INSERT INTO dh_meta VALUES ($signature)";
            meta.Parameters.Add("signature", signature);
            meta.ExecuteNonQuery();
        }

        foreach (var report in reports.Where(r => r.SnapshotId is not null))
        {
            using var upsert = duck.CreateCommand();
            upsert.CommandText = "INSERT OR REPLACE INTO dh_state VALUES ($source, $dataset, $snapshot)";
            upsert.Parameters.Add("source", report.Id);
            upsert.Parameters.Add("dataset", report.Dataset);
            upsert.Parameters.Add("snapshot", report.SnapshotId!.Value);
            upsert.ExecuteNonQuery();
        }

        duck.Execute("CHECKPOINT");
    }

    /// <summary>
    /// The definition as it shapes candidates, the DuckDB version (its hash function keys the rows) and, for a theme
    /// with geocoded fields, the standard address library's snapshot (a new library links every address again).
    /// </summary>
    private static string Signature(ThemeDefinition theme, long? librarySnapshot)
    {
        var links = theme.Fields.Select(f => f.StandardAddress).ToList();
        var text = System.Text.Json.JsonSerializer.Serialize(new { theme.KeyField, theme.KeyKind, theme.Sources, theme.Fields, links, theme.History, DuckDbConnection.NativeLibraryVersion, librarySnapshot });
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// The candidates in scope as dh_scope (a view of all of them for a full build, the touched keys' copied once for an
    /// incremental one) and the winner per key and field as dh_best (DuckDB turns the QUALIFY into a top-1 aggregate).
    /// </summary>
    private static void Rank(DuckDbConnection duck, string where)
    {
        duck.Execute(where == "true"
            ? "CREATE TEMP VIEW dh_scope AS SELECT * FROM dh_candidate"
            : $"CREATE TEMP TABLE dh_scope AS SELECT * FROM dh_candidate WHERE {where}");
        duck.Execute("""
            CREATE TEMP TABLE dh_best AS
            SELECT key, field, value, source, snapshot FROM dh_scope
            QUALIFY row_number() OVER (
                PARTITION BY key, field
                ORDER BY CASE WHEN by_recency THEN observed_at END DESC NULLS LAST, priority, observed_at DESC NULLS LAST, value) = 1
            """);
    }

    /// <summary>
    /// The geocoder over the current standard address library, and the library's snapshot, for a theme with geocoded
    /// fields; (null, null) for a theme without, or while the lake has no standard addresses (the links stay empty).
    /// </summary>
    private async Task<(Geocoder? Geocoder, long? Snapshot)> GeocoderAsync(ThemeDefinition theme, CancellationToken ct)
    {
        if (theme.Fields.All(f => f.StandardAddress is null) || !await _tables.ExistsAsync(StandardAddressLibrary.Dataset, ct))
        {
            return (null, null);
        }

        var snapshot = (await _tables.GetTableAsync(StandardAddressLibrary.Dataset, LakeVersion.Current, ct)).SnapshotId;
        lock (_libraryGate)
        {
            if (_library is { } cached && cached.Snapshot == snapshot)
            {
                return (cached.Geocoder, snapshot);
            }
        }

        var geocoder = new Geocoder(await StandardAddressLibrary.LoadAsync(_tables, ct));
        lock (_libraryGate)
        {
            _library = (snapshot, geocoder);
        }

        return (geocoder, snapshot);
    }

    /// <summary>
    /// Geocodes the values of the geocoded fields that the records in scope chose (dh_best) and the state has not seen:
    /// each distinct text once, in parallel, into dh_geocoded (kept in the state file, so an incremental build geocodes
    /// only addresses new to it). Returns how many texts were geocoded and how many of them matched one standard address.
    /// </summary>
    private static (long Addresses, long Matched) Link(DuckDbConnection duck, ThemeDefinition theme, Geocoder? geocoder)
    {
        var linked = theme.Fields.Where(f => f.StandardAddress is not null).Select(f => f.Name).ToList();
        if (linked.Count == 0)
        {
            return (0, 0);
        }

        duck.Execute("CREATE TABLE IF NOT EXISTS dh_geocoded (address VARCHAR, code VARCHAR, level VARCHAR, confidence DOUBLE, county VARCHAR, township VARCHAR, community VARCHAR)");
        if (geocoder is null)
        {
            return (0, 0);
        }

        var texts = new List<string>();
        using (var read = duck.CreateCommand())
        {
            var slot = 0;
            var names = linked.Select(f =>
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"f{slot++}");
                read.Parameters.Add(name, f);
                return "$" + name;
            });
            read.CommandText = $"""
                SELECT DISTINCT b.value FROM dh_best b
                WHERE b.field IN ({string.Join(", ", names)}) AND NOT EXISTS (SELECT 1 FROM dh_geocoded g WHERE g.address = b.value)
                """;
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                texts.Add(reader.GetString(0));
            }
        }

        var results = new GeocodeResult?[texts.Count];
        Parallel.For(0, texts.Count, i =>
        {
            var text = texts[i];
            results[i] = string.IsNullOrWhiteSpace(text) || text.Length > 200 ? null : geocoder.Geocode(text);
        });

        var matched = 0L;
        using (var appender = duck.CreateAppender("dh_geocoded"))
        {
            for (var i = 0; i < texts.Count; i++)
            {
                appender.Append(texts[i]);
                if (results[i] is not { } r)
                {
                    appender.AppendNull().Append(nameof(MatchLevel.None)).Append(0.0).AppendNull().AppendNull().AppendNull();
                }
                else
                {
                    Text(appender, r.Code).Append(r.Level.ToString()).Append(r.Confidence);
                    Text(appender, r.County?.Code);
                    Text(appender, r.Township?.Code);
                    Text(appender, r.Community?.Code);
                    matched += r.Code is null ? 0 : 1;
                }

                appender.EndRow();
            }

            appender.Close();
        }

        return (texts.Count, matched);

        static DuckDbAppender Text(DuckDbAppender appender, string? value) => value is null ? appender.AppendNull() : appender.Append(value);
    }

    private static string GoldenSql(ThemeDefinition theme)
    {
        var columns = new List<string> { $"key AS {Quote(theme.KeyField)}" };
        columns.AddRange(theme.Fields.Select(f => $"CAST(max(value) FILTER (WHERE field = '{f.Name}') AS {f.Type}) AS {Quote(f.Name)}"));
        foreach (var f in theme.Fields)
        {
            columns.Add($"max(source) FILTER (WHERE field = '{f.Name}') AS {Quote(f.Name + "__source")}");
            columns.Add($"max(snapshot) FILTER (WHERE field = '{f.Name}') AS {Quote(f.Name + "__snapshot")}");
        }

        columns.Add("string_agg(DISTINCT source, ',' ORDER BY source) AS sources");
        var golden = $"SELECT {string.Join(", ", columns)} FROM dh_best GROUP BY key";
        var linked = theme.Fields.Where(f => f.StandardAddress is not null).ToList();
        if (linked.Count == 0)
        {
            return golden + " ORDER BY key";
        }

        // Each geocoded field joins the addresses geocoded once per distinct text (dh_geocoded) on its value.
        var select = new List<string> { "g.*" };
        var joins = new List<string>();
        for (var i = 0; i < linked.Count; i++)
        {
            var alias = string.Create(CultureInfo.InvariantCulture, $"l{i}");
            select.AddRange(linked[i].LinkColumns.Select(c => $"{alias}.{Quote(c.Part)} AS {Quote(c.Name)}"));
            joins.Add($"LEFT JOIN dh_geocoded {alias} ON {alias}.address = g.{Quote(linked[i].Name)}");
        }

        return $"SELECT {string.Join(", ", select)} FROM ({golden}) g {string.Join(" ", joins)} ORDER BY g.{Quote(theme.KeyField)}";
    }

    private static string HistorySql(ThemeDefinition theme, string where) =>
        $"SELECT key AS {Quote(theme.KeyField)}, event_date, event, source, max(snapshot) AS snapshot FROM dh_event WHERE {where} GROUP BY key, event_date, event, source ORDER BY 1, 2, 3, 4";

    private static string ConflictsSql(ThemeDefinition theme)
    {
        var fields = theme.Fields.Where(f => f.Conflicts).Select(f => $"'{f.Name}'").ToList();
        return fields.Count == 0
            ? "SELECT CAST(NULL AS VARCHAR) AS key, CAST(NULL AS VARCHAR) AS field, CAST(NULL AS VARCHAR) AS chosen, CAST(NULL AS VARCHAR) AS chosen_source, CAST(NULL AS VARCHAR) AS \"values\", CAST(NULL AS VARCHAR) AS sources, CAST(0 AS BIGINT) AS value_count WHERE false"
            : $"""
                WITH scope AS (
                    SELECT key, field, value, source FROM dh_scope WHERE field IN ({string.Join(", ", fields)})
                ), disagreeing AS (
                    SELECT key, field FROM scope GROUP BY key, field HAVING min(lower(trim(value))) <> max(lower(trim(value)))
                )
                SELECT r.key, r.field, any_value(b.value) AS chosen, any_value(b.source) AS chosen_source,
                       string_agg(DISTINCT r.value, ' | ' ORDER BY r.value) AS "values", string_agg(DISTINCT r.source, ',' ORDER BY r.source) AS sources,
                       count(DISTINCT lower(trim(r.value)))::BIGINT AS value_count
                FROM scope r JOIN disagreeing d ON r.key = d.key AND r.field = d.field JOIN dh_best b ON b.key = r.key AND b.field = r.field
                GROUP BY r.key, r.field
                ORDER BY r.key, r.field
                """;
    }

    private async Task EnsureTablesAsync(ThemeDefinition theme, string author, CancellationToken ct)
    {
        if (!await _tables.ExistsAsync(theme.Table, ct))
        {
            await _tables.CreateTableAsync(theme.Table, Columns(theme), [theme.KeyField], new LakeCommit(author, $"theme {theme.Name}"), ct);
        }
        else
        {
            // A field newly geocoded (or added) gives the table new columns; the changed definition builds in full.
            var existing = (await _tables.GetTableAsync(theme.Table, LakeVersion.Current, ct)).Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var column in Columns(theme).Where(c => !existing.Contains(c.Name)))
            {
                await _tables.AddColumnAsync(theme.Table, column.Name, column.Type, new LakeCommit(author, $"theme {theme.Name}: column {column.Name}"), ct);
            }
        }

        if (!await _tables.ExistsAsync(theme.ConflictsTable, ct))
        {
            await _tables.CreateTableAsync(theme.ConflictsTable, ConflictColumns, ["key", "field"], new LakeCommit(author, $"theme {theme.Name}: conflicts"), ct);
        }

        if (theme.History is { } history && !await _tables.ExistsAsync(history.Table, ct))
        {
            await _tables.CreateTableAsync(history.Table, HistoryColumns(theme), [theme.KeyField, "event_date", "event", "source"], new LakeCommit(author, $"theme {theme.Name}: history"), ct);
        }
    }

    private static long Scalar(DuckDbConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
