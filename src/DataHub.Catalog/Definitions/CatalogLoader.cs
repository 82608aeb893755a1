using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataHub.Catalog;

/// <summary>
/// Writes <see cref="CatalogDefinitions"/> into the catalog tables in one transaction. Rows are upserted by
/// their codes and names and only rewritten when a value differs, so applying the same definitions twice
/// changes nothing. Entries removed from the files stay in the database (data and runs may refer to them);
/// only surplus columns of a dataset are deleted.
/// </summary>
public static partial class CatalogLoader
{
    /// <summary>The advisory lock key that serialises concurrent loads (ASCII "DHcatalog" folded to 64 bits).</summary>
    public const long AdvisoryLockKey = 0x0044_4863_6174_616C;

    private const string UpsertDepartments = """
        INSERT INTO datahub.department AS t (code, name, kind)
        SELECT * FROM unnest(@code::text[], @name::text[], @kind::text[])
        ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, updated_at = now()
        WHERE (t.name, t.kind) IS DISTINCT FROM (excluded.name, excluded.kind)
        """;

    // One statement per level so that every parent exists before its children are looked up.
    private const string UpsertNodes = """
        INSERT INTO datahub.subject_node AS t (level, code, name, parent_id, description)
        SELECT @level, n.code, n.name, p.id, n.description
        FROM unnest(@code::text[], @name::text[], @parent::text[], @description::text[]) AS n (code, name, parent, description)
        LEFT JOIN datahub.subject_node p ON p.code = n.parent
        ON CONFLICT (code) DO UPDATE
            SET level = excluded.level, name = excluded.name, parent_id = excluded.parent_id,
                description = excluded.description, updated_at = now()
        WHERE (t.level, t.name, t.parent_id, t.description)
            IS DISTINCT FROM (excluded.level, excluded.name, excluded.parent_id, excluded.description)
        """;

    private const string UpsertDatasets = """
        INSERT INTO datahub.dataset AS t (name, title, resource_code, provider_code, abstract, update_cycle, share_type,
                                          share_condition, open_attribute, sensitivity, importance, l4_node_id)
        SELECT d.name, d.title, d.resource_code, d.provider_code, d.abstract, d.update_cycle, d.share_type,
               d.share_condition, d.open_attribute, d.sensitivity, d.importance, l4.id
        FROM unnest(@name::text[], @title::text[], @resource_code::text[], @provider_code::text[], @abstract::text[],
                    @update_cycle::text[], @share_type::text[], @share_condition::text[], @open_attribute::text[],
                    @sensitivity::smallint[], @importance::text[], @l4::text[])
             AS d (name, title, resource_code, provider_code, abstract, update_cycle, share_type, share_condition,
                   open_attribute, sensitivity, importance, l4)
        LEFT JOIN datahub.subject_node l4 ON l4.code = d.l4
        ON CONFLICT (name) DO UPDATE
            SET title = excluded.title, resource_code = excluded.resource_code, provider_code = excluded.provider_code,
                abstract = excluded.abstract, update_cycle = excluded.update_cycle, share_type = excluded.share_type,
                share_condition = excluded.share_condition, open_attribute = excluded.open_attribute,
                sensitivity = excluded.sensitivity, importance = excluded.importance, l4_node_id = excluded.l4_node_id,
                updated_at = now()
        WHERE (t.title, t.resource_code, t.provider_code, t.abstract, t.update_cycle, t.share_type, t.share_condition,
               t.open_attribute, t.sensitivity, t.importance, t.l4_node_id)
            IS DISTINCT FROM
              (excluded.title, excluded.resource_code, excluded.provider_code, excluded.abstract, excluded.update_cycle,
               excluded.share_type, excluded.share_condition, excluded.open_attribute, excluded.sensitivity,
               excluded.importance, excluded.l4_node_id)
        """;

    private const string UpsertColumns = """
        INSERT INTO datahub.dataset_column AS t (dataset_id, ordinal, name, data_type, source, l5_node_id, description)
        SELECT d.id, c.ordinal, c.name, c.data_type, c.source, l5.id, c.description
        FROM unnest(@dataset::text[], @ordinal::int[], @name::text[], @data_type::text[], @source::text[], @l5::text[],
                    @description::text[]) AS c (dataset, ordinal, name, data_type, source, l5, description)
        JOIN datahub.dataset d ON d.name = c.dataset
        LEFT JOIN datahub.subject_node l5 ON l5.code = c.l5
        ON CONFLICT (dataset_id, ordinal) DO UPDATE
            SET name = excluded.name, data_type = excluded.data_type, source = excluded.source,
                l5_node_id = excluded.l5_node_id, description = excluded.description
        WHERE (t.name, t.data_type, t.source, t.l5_node_id, t.description)
            IS DISTINCT FROM (excluded.name, excluded.data_type, excluded.source, excluded.l5_node_id, excluded.description)
        """;

    private const string DeleteSurplusColumns = """
        DELETE FROM datahub.dataset_column t
        USING unnest(@dataset::text[], @column_count::int[]) AS k (dataset, column_count), datahub.dataset d
        WHERE d.name = k.dataset AND t.dataset_id = d.id AND t.ordinal > k.column_count
        """;

    /// <summary>Upserts the definitions into the catalog tables (the schema must be migrated first).</summary>
    /// <param name="dataSource">The catalog database.</param>
    /// <param name="definitions">The definitions read by <see cref="CatalogDefinitions.Load"/>.</param>
    /// <param name="logger">Where the summary goes; null for none.</param>
    /// <param name="ct">Cancels the load; nothing is written then.</param>
    /// <returns>How many rows were inserted, changed or removed per table.</returns>
    public static async Task<CatalogLoadResult> ApplyAsync(
        NpgsqlDataSource dataSource, CatalogDefinitions definitions, ILogger? logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(definitions);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        var departments = await ExecuteAsync(connection, transaction, UpsertDepartments, p =>
        {
            p.Add(Texts("code", definitions.Departments.Select(d => d.Code)));
            p.Add(Texts("name", definitions.Departments.Select(d => d.Name)));
            p.Add(Texts("kind", definitions.Departments.Select(d => d.Kind)));
        }, ct);

        var nodes = 0;
        foreach (var level in definitions.Nodes.GroupBy(n => n.Level).OrderBy(g => g.Key))
        {
            nodes += await ExecuteAsync(connection, transaction, UpsertNodes, p =>
            {
                p.Add(new NpgsqlParameter<short>("level", (short)level.Key));
                p.Add(Texts("code", level.Select(n => n.Code)));
                p.Add(Texts("name", level.Select(n => n.Name)));
                p.Add(Texts("parent", level.Select(n => n.ParentCode)));
                p.Add(Texts("description", level.Select(n => n.Description)));
            }, ct);
        }

        var datasets = definitions.Datasets;
        var datasetCount = await ExecuteAsync(connection, transaction, UpsertDatasets, p =>
        {
            p.Add(Texts("name", datasets.Select(d => d.Name)));
            p.Add(Texts("title", datasets.Select(d => d.Title)));
            p.Add(Texts("resource_code", datasets.Select(d => d.ResourceCode)));
            p.Add(Texts("provider_code", datasets.Select(d => d.ProviderCode)));
            p.Add(Texts("abstract", datasets.Select(d => d.Abstract)));
            p.Add(Texts("update_cycle", datasets.Select(d => d.UpdateCycle)));
            p.Add(Texts("share_type", datasets.Select(d => d.ShareType)));
            p.Add(Texts("share_condition", datasets.Select(d => d.ShareCondition)));
            p.Add(Texts("open_attribute", datasets.Select(d => d.OpenAttribute)));
            p.Add(new NpgsqlParameter<short[]>("sensitivity", datasets.Select(d => (short)d.Sensitivity).ToArray()));
            p.Add(Texts("importance", datasets.Select(d => d.Importance)));
            p.Add(Texts("l4", datasets.Select(d => d.L4NodeCode)));
        }, ct);

        var columns = datasets.SelectMany(d => d.Columns.Select(c => (Dataset: d.Name, Column: c))).ToList();
        var columnCount = await ExecuteAsync(connection, transaction, UpsertColumns, p =>
        {
            p.Add(Texts("dataset", columns.Select(c => c.Dataset)));
            p.Add(new NpgsqlParameter<int[]>("ordinal", columns.Select(c => c.Column.Ordinal).ToArray()));
            p.Add(Texts("name", columns.Select(c => c.Column.Name)));
            p.Add(Texts("data_type", columns.Select(c => c.Column.DataType)));
            p.Add(Texts("source", columns.Select(c => c.Column.Source)));
            p.Add(Texts("l5", columns.Select(c => c.Column.L5NodeCode)));
            p.Add(Texts("description", columns.Select(c => c.Column.Description)));
        }, ct);
        columnCount += await ExecuteAsync(connection, transaction, DeleteSurplusColumns, p =>
        {
            p.Add(Texts("dataset", datasets.Select(d => d.Name)));
            p.Add(new NpgsqlParameter<int[]>("column_count", datasets.Select(d => d.Columns.Count).ToArray()));
        }, ct);

        await transaction.CommitAsync(ct);
        var result = new CatalogLoadResult(departments, nodes, datasetCount, columnCount);
        LogLoaded(
            logger ?? NullLogger.Instance, definitions.Directory, result.Departments, result.Nodes, result.Datasets, result.Columns);
        return result;
    }

    private static NpgsqlParameter<string?[]> Texts(string name, IEnumerable<string?> values) => new(name, values.ToArray());

    private static async Task<int> ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string sql,
        Action<NpgsqlParameterCollection> bind,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        bind(command.Parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Catalog definitions from {Directory} applied: {Departments} department(s), {Nodes} node(s), {Datasets} dataset(s), {Columns} column row(s) changed")]
    private static partial void LogLoaded(ILogger logger, string directory, int departments, int nodes, int datasets, int columns);
}
