using Npgsql;

namespace DataHub.Catalog;

/// <summary>Browsing the catalog: the L1–L5 tree, search and coverage.</summary>
public sealed partial class CatalogStore
{
    /// <summary>The longest search query accepted.</summary>
    public const int MaxQueryLength = 100;

    /// <summary>The most search results returned.</summary>
    public const int MaxSearchResults = 200;

    // Candidates come from the GIN index on the n-grams (search_grams @> the query's grams) and are confirmed with
    // strpos on the lower-cased text, so a hit always contains the query. Ranking: exact, prefix, name contains,
    // other text contains; then what holds data; then the shorter name.
    private const string SearchSql = """
        WITH filled AS (
            SELECT c.l5_node_id AS id FROM datahub.dataset_column c
            WHERE c.l5_node_id IS NOT NULL AND EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = c.dataset_id)
        ),
        hits AS (
            SELECT 'node' AS kind, n.id, n.code, n.name, n.level::int AS level, n.description,
                   n.level = 5 AND n.id IN (SELECT id FROM filled) AS has_data
            FROM datahub.subject_node n
            WHERE n.search_grams @> datahub.search_query_grams(@q) AND strpos(n.search_text, @term) > 0
            UNION ALL
            SELECT 'element', NULL, e.code, e.name, NULL, e.description, false
            FROM datahub.data_element e
            WHERE e.search_grams @> datahub.search_query_grams(@q) AND strpos(e.search_text, @term) > 0
            UNION ALL
            SELECT 'dataset', NULL, d.name, d.title, NULL, d.abstract, EXISTS (SELECT 1 FROM datahub.data_file f WHERE f.dataset_id = d.id)
            FROM datahub.dataset d
            WHERE d.search_grams @> datahub.search_query_grams(@q) AND strpos(d.search_text, @term) > 0
        ),
        ranked AS (
            SELECT h.*, CASE
                WHEN lower(h.name) = @term OR lower(h.code) = @term OR lower(regexp_replace(h.code, '^.*\.', '')) = @term THEN 0
                WHEN starts_with(lower(h.name), @term) OR starts_with(lower(regexp_replace(h.code, '^.*\.', '')), @term) THEN 1
                WHEN strpos(lower(h.name), @term) > 0 THEN 2
                ELSE 3 END AS rank
            FROM hits h
        )
        SELECT kind, id, code, name, level, description, has_data, rank
        FROM ranked
        ORDER BY rank, has_data DESC, char_length(name), code
        LIMIT @limit
        """;

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
        var rows = new List<(long? Id, CatalogSearchHit Hit)>();
        await using (var command = new NpgsqlCommand(SearchSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("q", term));
            command.Parameters.Add(new NpgsqlParameter<string>("term", term.ToLowerInvariant()));
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
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
                        NullableString(reader, 5),
                        null,
                        reader.GetBoolean(6),
                        MatchNames[reader.GetInt32(7)])));
            }
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
