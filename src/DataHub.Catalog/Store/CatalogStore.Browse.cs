using Npgsql;

namespace DataHub.Catalog;

/// <summary>Browsing the catalog: the L1–L5 tree, search and coverage.</summary>
public sealed partial class CatalogStore
{
    /// <summary>The longest search query accepted.</summary>
    public const int MaxQueryLength = 100;

    /// <summary>The most search results returned.</summary>
    public const int MaxSearchResults = 200;

    // Candidates come from the GIN expression indexes on the n-grams (search_grams(text) @> the query's grams) and are
    // confirmed with strpos on the lower-cased text, so a hit always contains the query; when the query is itself its
    // only gram (户籍, 户, abc) every candidate contains it and the confirmation is skipped. Ranking: exact, prefix,
    // name contains, other text contains; then what holds data; then the shorter name. The statement is prepared
    // once per connection and takes the grams as a parameter, so no search pays for planning.
    private const string SearchSql = """
        WITH filled AS (
            SELECT c.l5_node_id AS id FROM datahub.dataset_column c
            WHERE c.l5_node_id IS NOT NULL AND EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = c.dataset_id)
        ),
        hits AS (
            SELECT 'node' AS kind, n.id, n.code, n.name, n.level::int AS level, n.description,
                   n.level = 5 AND n.id IN (SELECT id FROM filled) AS has_data
            FROM datahub.subject_node n
            WHERE @nodes AND datahub.search_grams(n.code || ' ' || n.name || ' ' || coalesce(n.description, '')) @> @grams
              AND (@single OR strpos(lower(n.code || ' ' || n.name || ' ' || coalesce(n.description, '')), @term) > 0)
            UNION ALL
            SELECT 'element', NULL, e.code, e.name, NULL, e.description, false
            FROM datahub.data_element e
            WHERE datahub.search_grams(e.code || ' ' || e.name || ' ' || coalesce(e.description, '')) @> @grams
              AND (@single OR strpos(lower(e.code || ' ' || e.name || ' ' || coalesce(e.description, '')), @term) > 0)
            UNION ALL
            SELECT 'dataset', NULL, d.name, d.title, NULL, d.abstract, EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = d.id)
            FROM datahub.dataset d
            WHERE datahub.search_grams(d.name || ' ' || d.title || ' ' || coalesce(d.resource_code, '') || ' ' || coalesce(d.abstract, '')) @> @grams
              AND (@single OR strpos(lower(d.name || ' ' || d.title || ' ' || coalesce(d.resource_code, '') || ' ' || coalesce(d.abstract, '')), @term) > 0)
        ),
        keyed AS (
            SELECT h.*, lower(h.name) AS lname, lower(split_part(h.code, '.', -1)) AS lkey FROM hits h
        ),
        ranked AS (
            SELECT k.*, CASE
                WHEN k.lname = @term OR k.lkey = @term OR lower(k.code) = @term THEN 0
                WHEN starts_with(k.lname, @term) OR starts_with(k.lkey, @term) THEN 1
                WHEN strpos(k.lname, @term) > 0 THEN 2
                ELSE 3 END AS rank
            FROM keyed k
        )
        SELECT kind, id, code, name, level, description, has_data, rank
        FROM ranked
        ORDER BY rank, has_data DESC, char_length(name), code COLLATE "C"
        LIMIT @limit
        """;

    // The query's grams and how many candidates the n-gram index yields for them (before confirmation, at most @cap),
    // in one round trip; the count is index-only over all-visible pages.
    private const string GramsSql = """
        SELECT q.grams, (SELECT least(count(*), 2147483647)::int FROM (
                             SELECT 1 FROM datahub.subject_node n
                             WHERE datahub.search_grams(n.code || ' ' || n.name || ' ' || coalesce(n.description, '')) @> q.grams
                             LIMIT @cap) c)
        FROM (SELECT datahub.search_query_grams(@q) AS grams) q
        """;

    // The first two ranks only (exact and prefix, by name or by the code's last segment), from the byte-ordered
    // prefix indexes. When these fill the page, the thousands of merely containing candidates need not be ranked.
    private const string PrefixSql = """
        WITH filled AS (
            SELECT c.l5_node_id AS id FROM datahub.dataset_column c
            WHERE c.l5_node_id IS NOT NULL AND EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = c.dataset_id)
        ),
        hits AS (
            SELECT n.id, n.code, n.name, n.level FROM datahub.subject_node n
            WHERE lower(n.name) COLLATE "C" >= @term AND lower(n.name) COLLATE "C" < @upper
            UNION
            SELECT n.id, n.code, n.name, n.level FROM datahub.subject_node n
            WHERE lower(split_part(n.code, '.', -1)) COLLATE "C" >= @term AND lower(split_part(n.code, '.', -1)) COLLATE "C" < @upper
        ),
        page AS (
            SELECT h.id, h.code, h.name, h.level::int AS level, h.level = 5 AND h.id IN (SELECT id FROM filled) AS has_data,
                   CASE WHEN lower(h.name) = @term OR lower(split_part(h.code, '.', -1)) = @term THEN 0 ELSE 1 END AS rank
            FROM hits h
            ORDER BY rank, has_data DESC, char_length(h.name), h.code COLLATE "C"
            LIMIT @limit
        )
        SELECT 'node', p.id, p.code, p.name, p.level, (SELECT n.description FROM datahub.subject_node n WHERE n.id = p.id),
               p.has_data, p.rank
        FROM page p
        ORDER BY p.rank, p.has_data DESC, char_length(p.name), p.code COLLATE "C"
        """;

    // The third rank (the name contains the query, not at its start) for a query with many candidates: attributes
    // holding data (few) in full, the others by walking the names in ranking order (index-only) until the page is
    // full or @scan names were read.
    private const string NameContainsSql = """
        WITH filled AS (
            SELECT c.l5_node_id AS id FROM datahub.dataset_column c
            WHERE c.l5_node_id IS NOT NULL AND EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = c.dataset_id)
        ),
        walk AS (
            SELECT n.id, n.code, n.name, n.level FROM datahub.subject_node n
            ORDER BY char_length(n.name), n.code COLLATE "C"
            LIMIT @scan
        ),
        found AS (
            (SELECT w.id, w.code, w.name, w.level::int AS level, false AS has_data
             FROM walk w
             WHERE strpos(lower(w.name), @term) > 0 AND NOT starts_with(lower(w.name), @term)
               AND NOT starts_with(lower(split_part(w.code, '.', -1)), @term) AND lower(w.code) <> @term
               AND NOT (w.level = 5 AND w.id IN (SELECT id FROM filled))
             LIMIT @limit)
            UNION ALL
            SELECT n.id, n.code, n.name, n.level::int, true
            FROM datahub.subject_node n
            WHERE n.level = 5 AND n.id IN (SELECT id FROM filled)
              AND strpos(lower(n.name), @term) > 0 AND NOT starts_with(lower(n.name), @term)
              AND NOT starts_with(lower(split_part(n.code, '.', -1)), @term) AND lower(n.code) <> @term
        )
        SELECT 'node', f.id, f.code, f.name, f.level, (SELECT n.description FROM datahub.subject_node n WHERE n.id = f.id), f.has_data, 2
        FROM found f
        """;

    /// <summary>How many names the walk for the third rank reads at most before ranking every candidate instead.</summary>
    private const int NameWalkLimit = 3_000;

    /// <summary>Above this many index candidates a search first tries to fill the page from exact and prefix matches.</summary>
    internal int ManyCandidates { get; init; } = 2_000;

    private const string PathSql = """
        WITH RECURSIVE up AS (
            SELECT n.id AS hit, n.parent_id, 0 AS depth, NULL::text AS name FROM datahub.subject_node n WHERE n.id = ANY (@ids)
            UNION ALL
            SELECT up.hit, p.parent_id, up.depth + 1, p.name FROM up JOIN datahub.subject_node p ON p.id = up.parent_id
        )
        SELECT hit, string_agg(name, ' / ' ORDER BY depth DESC) FROM up WHERE name IS NOT NULL GROUP BY hit
        """;

    private static readonly string[] MatchNames = ["exact", "prefix", "name", "text"];

    /// <summary>
    /// Finds L1–L5 nodes, data elements and datasets whose name, code or description contains the query, in
    /// Chinese or English (case-insensitive). Ranked: exact name, prefix, name contains, other text contains;
    /// within each, what holds data comes first.
    /// </summary>
    /// <param name="query">The text to find (1–100 characters).</param>
    /// <param name="limit">How many results at most (1–200).</param>
    /// <param name="ct">Cancels the query.</param>
    /// <exception cref="ArgumentException">The query is empty or too long, or the limit is out of range.</exception>
    public async Task<IReadOnlyList<CatalogSearchHit>> SearchAsync(string query, int limit = 20, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var term = query.Trim();
        if (term.Length is 0 or > MaxQueryLength)
        {
            throw new ArgumentException($"The query must have 1 to {MaxQueryLength} characters.", nameof(query));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxSearchResults);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        string[] grams;
        int candidates;
        await using (var gramCommand = new NpgsqlCommand(GramsSql, connection))
        {
            gramCommand.Parameters.Add(new NpgsqlParameter<string>("q", term));
            gramCommand.Parameters.Add(new NpgsqlParameter<long>("cap", (long)ManyCandidates + 1));
            await gramCommand.PrepareAsync(ct);
            await using var reader = await gramCommand.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            grams = reader.GetFieldValue<string[]>(0);
            candidates = reader.GetInt32(1);
        }

        var lowered = term.ToLowerInvariant();
        var rows = new List<(long? Id, CatalogSearchHit Hit)>();
        if (candidates > ManyCandidates)
        {
            // Thousands of candidates: fill the page rank by rank instead of ranking them all. Exact and prefix
            // matches come from the prefix indexes, name-contains matches from walking the names in ranking order;
            // elements and datasets are few and are searched in full. Only when these ranks cannot fill the page
            // does the search rank every candidate after all.
            var page = await ReadHitsAsync(connection, PrefixSql, grams, lowered, limit, ct);
            var complete = page.Count >= limit;
            if (!complete)
            {
                var walked = await ReadHitsAsync(connection, NameContainsSql, grams, lowered, limit, ct);
                page.AddRange(walked);
                complete = walked.Count(r => !r.Hit.HasData) >= limit;
            }

            if (complete)
            {
                var others = await ReadHitsAsync(connection, SearchSql, grams, lowered, MaxSearchResults, ct, nodes: false);
                rows = others.Where(r => r.Hit.Match is "exact" or "prefix" or "name").Concat(page)
                    .OrderBy(r => Array.IndexOf(MatchNames, r.Hit.Match)).ThenByDescending(r => r.Hit.HasData)
                    .ThenBy(r => r.Hit.Name.Length).ThenBy(r => r.Hit.Code, StringComparer.Ordinal)
                    .Take(limit).ToList();
            }
        }

        if (rows.Count == 0)
        {
            rows = await ReadHitsAsync(connection, SearchSql, grams, lowered, limit, ct);
        }

        var ids = rows.Where(r => r.Id is not null).Select(r => r.Id!.Value).ToArray();
        if (ids.Length == 0)
        {
            return rows.Select(r => r.Hit).ToList();
        }

        var paths = new Dictionary<long, string>();
        await using (var command = new NpgsqlCommand(PathSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<long[]>("ids", ids));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                paths[reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        return rows.Select(r => r.Id is long id && paths.TryGetValue(id, out var path) ? r.Hit with { Path = path } : r.Hit).ToList();
    }

    private static async Task<List<(long? Id, CatalogSearchHit Hit)>> ReadHitsAsync(
        NpgsqlConnection connection, string sql, string[] grams, string term, int limit, CancellationToken ct, bool nodes = true)
    {
        var rows = new List<(long? Id, CatalogSearchHit Hit)>();
        await using var command = new NpgsqlCommand(sql, connection);
        if (ReferenceEquals(sql, NameContainsSql))
        {
            command.Parameters.Add(new NpgsqlParameter<int>("scan", NameWalkLimit));
        }
        else if (ReferenceEquals(sql, PrefixSql))
        {
            // Every string starting with the term sorts (bytewise) at or after it and before term + U+10FFFF.
            command.Parameters.Add(new NpgsqlParameter<string>("upper", term + char.ConvertFromUtf32(0x10FFFF)));
        }
        else
        {
            command.Parameters.Add(new NpgsqlParameter<string[]>("grams", grams));
            command.Parameters.Add(new NpgsqlParameter<bool>("nodes", nodes));
            command.Parameters.Add(new NpgsqlParameter<bool>("single", grams.Length == 1 && string.Equals(grams[0], term, StringComparison.Ordinal)));
        }

        command.Parameters.Add(new NpgsqlParameter<string>("term", term));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        await command.PrepareAsync(ct);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((
                reader.IsDBNull(1) ? null : reader.GetInt64(1),
                new CatalogSearchHit(
                    reader.GetString(0),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    null,
                    reader.GetBoolean(6),
                    MatchNames[reader.GetInt32(7)])));
        }

        return rows;
    }

    /// <summary>
    /// The L1–L5 tree: from every L1 node, or from the node with the given code, down to <paramref name="depth"/>
    /// levels (the starting level counts as one). Null when <paramref name="rootCode"/> names no node.
    /// </summary>
    /// <param name="rootCode">The node to start from; null for all L1 nodes.</param>
    /// <param name="depth">How many levels to include, 1–5.</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<IReadOnlyList<CatalogTreeNode>?> GetTreeAsync(string? rootCode = null, int depth = 5, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, 5);
        const string sql = """
            WITH RECURSIVE t AS (
                SELECT n.id, n.parent_id, 1 AS depth FROM datahub.subject_node n
                WHERE CASE WHEN @root::text IS NULL THEN n.parent_id IS NULL ELSE n.code = @root END
                UNION ALL
                SELECT c.id, c.parent_id, t.depth + 1 FROM datahub.subject_node c JOIN t ON c.parent_id = t.id WHERE t.depth < @depth
            ),
            filled AS (
                SELECT DISTINCT c.l5_node_id AS id FROM datahub.dataset_column c
                WHERE c.l5_node_id IS NOT NULL AND EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = c.dataset_id)
            )
            SELECT n.id, t.parent_id, t.depth, n.code, n.level, n.name, n.description, n.element_code, n.sensitivity, n.importance,
                   n.id IN (SELECT id FROM filled), (SELECT count(*)::int FROM datahub.subject_node k WHERE k.parent_id = n.id)
            FROM t JOIN datahub.subject_node n ON n.id = t.id
            ORDER BY t.depth DESC, n.code
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string?>("root", rootCode) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int>("depth", depth));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var children = new Dictionary<long, List<CatalogTreeNode>>();
        var roots = new List<CatalogTreeNode>();
        while (await reader.ReadAsync(ct))
        {
            // Deepest first, so a node's children are complete when the node is read.
            var id = reader.GetInt64(0);
            var node = new CatalogTreeNode(
                reader.GetString(3),
                reader.GetInt16(4),
                reader.GetString(5),
                NullableString(reader, 6),
                NullableString(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetInt16(8),
                NullableString(reader, 9),
                reader.GetBoolean(10),
                reader.GetInt32(11),
                children.Remove(id, out var list) ? list : []);
            if (reader.GetInt32(2) == 1)
            {
                roots.Add(node);
            }
            else
            {
                var parent = reader.GetInt64(1);
                if (!children.TryGetValue(parent, out var siblings))
                {
                    children[parent] = siblings = [];
                }

                siblings.Add(node);
            }
        }

        if (rootCode is not null && roots.Count == 0)
        {
            return null;
        }

        roots.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return roots;
    }

    /// <summary>
    /// Coverage under each of the given nodes: how many L5 attributes lie beneath it (itself, for an L5 node) and how
    /// many of them hold data (a column of a dataset with files maps to them). Unknown codes are left out.
    /// </summary>
    /// <param name="codes">Node codes (at most 500).</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<IReadOnlyDictionary<string, (int Attributes, int WithData)>> GetNodeCoverageAsync(IReadOnlyList<string> codes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codes.Count, 500);
        const string sql = """
            WITH RECURSIVE d AS (
                SELECT n.id AS root, n.id, n.level FROM datahub.subject_node n WHERE n.code = ANY (@codes)
                UNION ALL
                SELECT d.root, c.id, c.level FROM datahub.subject_node c JOIN d ON c.parent_id = d.id WHERE d.level < 5
            ),
            filled AS (
                SELECT DISTINCT c.l5_node_id AS id FROM datahub.dataset_column c
                WHERE c.l5_node_id IS NOT NULL AND EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = c.dataset_id)
            )
            SELECT r.code, (count(*) FILTER (WHERE d.level = 5))::int,
                   (count(*) FILTER (WHERE d.level = 5 AND d.id IN (SELECT id FROM filled)))::int
            FROM d JOIN datahub.subject_node r ON r.id = d.root
            GROUP BY r.code
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]>("codes", [.. codes]));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var coverage = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            coverage[reader.GetString(0)] = (reader.GetInt32(1), reader.GetInt32(2));
        }

        return coverage;
    }

    /// <summary>Columns mapped to L5 attributes, attributes that hold data, and what is missing on either side.</summary>
    /// <param name="attributeLimit">How many attributes without data to list (0–10,000); the counts are always complete.</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<CoverageReport> GetCoverageAsync(int attributeLimit = 100, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attributeLimit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(attributeLimit, 10_000);
        const string sql = """
            SELECT count(*)::int, count(c.l5_node_id)::int,
                   coalesce(array_agg(d.name || '.' || c.name ORDER BY d.name, c.ordinal) FILTER (WHERE c.l5_node_id IS NULL), '{}')
            FROM datahub.dataset_column c JOIN datahub.dataset d ON d.id = c.dataset_id;

            WITH mapped AS (
                SELECT c.l5_node_id AS id, bool_or(EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = c.dataset_id)) AS has_data,
                       count(*)::int AS columns
                FROM datahub.dataset_column c WHERE c.l5_node_id IS NOT NULL GROUP BY c.l5_node_id
            )
            SELECT count(*)::int, count(*) FILTER (WHERE m.has_data)::int
            FROM datahub.subject_node n LEFT JOIN mapped m ON m.id = n.id WHERE n.level = 5;

            WITH mapped AS (
                SELECT c.l5_node_id AS id, bool_or(EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = c.dataset_id)) AS has_data,
                       count(*)::int AS columns
                FROM datahub.dataset_column c WHERE c.l5_node_id IS NOT NULL GROUP BY c.l5_node_id
            )
            SELECT n.code, n.name, coalesce(m.columns, 0)
            FROM datahub.subject_node n LEFT JOIN mapped m ON m.id = n.id
            WHERE n.level = 5 AND m.has_data IS NOT TRUE
            ORDER BY n.code LIMIT @limit;
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<int>("limit", attributeLimit));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (columns, mapped, unmapped) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetFieldValue<string[]>(2));
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var (attributes, withData) = (reader.GetInt32(0), reader.GetInt32(1));
        await reader.NextResultAsync(ct);
        var without = new List<AttributeWithoutData>();
        while (await reader.ReadAsync(ct))
        {
            without.Add(new AttributeWithoutData(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return new CoverageReport(columns, mapped, attributes, withData, unmapped, without);
    }
}
