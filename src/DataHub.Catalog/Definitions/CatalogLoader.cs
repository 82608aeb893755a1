using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataHub.Catalog;

/// <summary>
/// Writes <see cref="CatalogDefinitions"/> into the catalog tables in one transaction. Rows are upserted by
/// their codes and names and only rewritten when a value differs, so applying the same definitions twice
/// changes nothing. Entries removed from the files stay in the database (data and runs may refer to them);
/// only surplus columns of a dataset and surplus values of a code set are deleted. A dry run does the same work
/// and rolls it back, so it reports exactly what an apply would change.
/// </summary>
public static partial class CatalogLoader
{
    /// <summary>The advisory lock key that serialises concurrent loads (ASCII "DHcatalog" folded to 64 bits).</summary>
    public const long AdvisoryLockKey = 0x0044_4863_6174_616C;

    // Every upsert returns the key and whether the row is new (xmax = 0 on a freshly inserted row).
    private const string UpsertDepartments = """
        INSERT INTO datahub.department AS t (code, name, kind)
        SELECT * FROM unnest(@code::text[], @name::text[], @kind::text[])
        ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, updated_at = now()
        WHERE (t.name, t.kind) IS DISTINCT FROM (excluded.name, excluded.kind)
        RETURNING t.code, t.xmax = 0
        """;

    private const string UpsertGrades = """
        INSERT INTO datahub.grade AS t (kind, code, name, description, ordinal)
        SELECT * FROM unnest(@kind::text[], @code::text[], @name::text[], @description::text[], @ordinal::int[])
        ON CONFLICT (kind, code) DO UPDATE SET name = excluded.name, description = excluded.description, ordinal = excluded.ordinal
        WHERE (t.name, t.description, t.ordinal) IS DISTINCT FROM (excluded.name, excluded.description, excluded.ordinal)
        RETURNING t.kind || ':' || t.code, t.xmax = 0
        """;

    private const string UpsertCodeSets = """
        INSERT INTO datahub.code_set AS t (code, name, standard, description)
        SELECT * FROM unnest(@code::text[], @name::text[], @standard::text[], @description::text[])
        ON CONFLICT (code) DO UPDATE
            SET name = excluded.name, standard = excluded.standard, description = excluded.description, updated_at = now()
        WHERE (t.name, t.standard, t.description) IS DISTINCT FROM (excluded.name, excluded.standard, excluded.description)
        RETURNING t.code, t.xmax = 0
        """;

    private const string UpsertCodeValues = """
        INSERT INTO datahub.code_value AS t (code_set, code, name, parent_code, ordinal)
        SELECT * FROM unnest(@code_set::text[], @code::text[], @name::text[], @parent::text[], @ordinal::int[])
        ON CONFLICT (code_set, code) DO UPDATE
            SET name = excluded.name, parent_code = excluded.parent_code, ordinal = excluded.ordinal
        WHERE (t.name, t.parent_code, t.ordinal) IS DISTINCT FROM (excluded.name, excluded.parent_code, excluded.ordinal)
        RETURNING t.code_set || ':' || t.code, t.xmax = 0
        """;

    private const string DeleteSurplusCodeValues = """
        DELETE FROM datahub.code_value t
        WHERE t.code_set = ANY (@sets::text[])
          AND (t.code_set, t.code) NOT IN (SELECT * FROM unnest(@code_set::text[], @code::text[]))
        RETURNING t.code_set || ':' || t.code
        """;

    private const string UpsertElements = """
        INSERT INTO datahub.data_element AS t (code, name, data_type, length, format, code_set, unit, description)
        SELECT * FROM unnest(@code::text[], @name::text[], @data_type::text[], @length::int[], @format::text[],
                             @code_set::text[], @unit::text[], @description::text[])
        ON CONFLICT (code) DO UPDATE
            SET name = excluded.name, data_type = excluded.data_type, length = excluded.length, format = excluded.format,
                code_set = excluded.code_set, unit = excluded.unit, description = excluded.description, updated_at = now()
        WHERE (t.name, t.data_type, t.length, t.format, t.code_set, t.unit, t.description)
            IS DISTINCT FROM (excluded.name, excluded.data_type, excluded.length, excluded.format, excluded.code_set,
                              excluded.unit, excluded.description)
        RETURNING t.code, t.xmax = 0
        """;

    // One statement per level so that every parent exists before its children are looked up.
    private const string UpsertNodes = """
        INSERT INTO datahub.subject_node AS t (level, code, name, parent_id, description, element_code, sensitivity, importance)
        SELECT @level, n.code, n.name, p.id, n.description, n.element, n.sensitivity, n.importance
        FROM unnest(@code::text[], @name::text[], @parent::text[], @description::text[], @element::text[],
                    @sensitivity::smallint[], @importance::text[])
             AS n (code, name, parent, description, element, sensitivity, importance)
        LEFT JOIN datahub.subject_node p ON p.code = n.parent
        ON CONFLICT (code) DO UPDATE
            SET level = excluded.level, name = excluded.name, parent_id = excluded.parent_id,
                description = excluded.description, element_code = excluded.element_code,
                sensitivity = excluded.sensitivity, importance = excluded.importance, updated_at = now()
        WHERE (t.level, t.name, t.parent_id, t.description, t.element_code, t.sensitivity, t.importance)
            IS DISTINCT FROM (excluded.level, excluded.name, excluded.parent_id, excluded.description,
                              excluded.element_code, excluded.sensitivity, excluded.importance)
        RETURNING t.code, t.xmax = 0
        """;

    private const string UpsertDatasets = """
        INSERT INTO datahub.dataset AS t (name, title, resource_code, provider_code, abstract, update_cycle, share_type,
                                          share_condition, open_attribute, sensitivity, importance, l4_node_id, published_on)
        SELECT d.name, d.title, d.resource_code, d.provider_code, d.abstract, d.update_cycle, d.share_type,
               d.share_condition, d.open_attribute, d.sensitivity, d.importance, l4.id, d.published_on
        FROM unnest(@name::text[], @title::text[], @resource_code::text[], @provider_code::text[], @abstract::text[],
                    @update_cycle::text[], @share_type::text[], @share_condition::text[], @open_attribute::text[],
                    @sensitivity::smallint[], @importance::text[], @l4::text[], @published_on::date[])
             AS d (name, title, resource_code, provider_code, abstract, update_cycle, share_type, share_condition,
                   open_attribute, sensitivity, importance, l4, published_on)
        LEFT JOIN datahub.subject_node l4 ON l4.code = d.l4
        ON CONFLICT (name) DO UPDATE
            SET title = excluded.title, resource_code = excluded.resource_code, provider_code = excluded.provider_code,
                abstract = excluded.abstract, update_cycle = excluded.update_cycle, share_type = excluded.share_type,
                share_condition = excluded.share_condition, open_attribute = excluded.open_attribute,
                sensitivity = excluded.sensitivity, importance = excluded.importance, l4_node_id = excluded.l4_node_id,
                published_on = excluded.published_on, updated_at = now()
        WHERE (t.title, t.resource_code, t.provider_code, t.abstract, t.update_cycle, t.share_type, t.share_condition,
               t.open_attribute, t.sensitivity, t.importance, t.l4_node_id, t.published_on)
            IS DISTINCT FROM
              (excluded.title, excluded.resource_code, excluded.provider_code, excluded.abstract, excluded.update_cycle,
               excluded.share_type, excluded.share_condition, excluded.open_attribute, excluded.sensitivity,
               excluded.importance, excluded.l4_node_id, excluded.published_on)
        RETURNING t.name, t.xmax = 0
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
        RETURNING (SELECT d.name FROM datahub.dataset d WHERE d.id = t.dataset_id) || '.' || t.name, t.xmax = 0
        """;

    private const string DeleteSurplusColumns = """
        DELETE FROM datahub.dataset_column t
        USING unnest(@dataset::text[], @column_count::int[]) AS k (dataset, column_count), datahub.dataset d
        WHERE d.name = k.dataset AND t.dataset_id = d.id AND t.ordinal > k.column_count
        RETURNING d.name || '.' || t.name
        """;

    /// <summary>Upserts the definitions into the catalog tables (the schema must be migrated first).</summary>
    /// <param name="dataSource">The catalog database.</param>
    /// <param name="definitions">The definitions read by <see cref="CatalogDefinitions.Load"/>.</param>
    /// <param name="logger">Where the summary goes; null for none.</param>
    /// <param name="ct">Cancels the load; nothing is written then.</param>
    /// <returns>The rows inserted, changed or removed.</returns>
    public static Task<CatalogLoadResult> ApplyAsync(
        NpgsqlDataSource dataSource, CatalogDefinitions definitions, ILogger? logger, CancellationToken ct) =>
        ApplyAsync(dataSource, definitions, dryRun: false, logger, ct);

    /// <summary>Upserts the definitions, or with <paramref name="dryRun"/> works out what an apply would change and writes nothing.</summary>
    /// <param name="dataSource">The catalog database.</param>
    /// <param name="definitions">The definitions read by <see cref="CatalogDefinitions.Load"/>.</param>
    /// <param name="dryRun">Roll the transaction back instead of committing it.</param>
    /// <param name="logger">Where the summary goes; null for none.</param>
    /// <param name="ct">Cancels the load; nothing is written then.</param>
    /// <returns>The rows inserted, changed or removed (or that would be).</returns>
    public static async Task<CatalogLoadResult> ApplyAsync(
        NpgsqlDataSource dataSource, CatalogDefinitions definitions, bool dryRun, ILogger? logger, CancellationToken ct)
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

        var changes = new List<CatalogChange>();
        async Task Run(string kind, string sql, Action<NpgsqlParameterCollection> bind, bool removes = false)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            bind(command.Parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var action = removes ? CatalogChangeAction.Removed : reader.GetBoolean(1) ? CatalogChangeAction.Added : CatalogChangeAction.Changed;
                changes.Add(new CatalogChange(kind, reader.GetString(0), action));
            }
        }

        await Run("department", UpsertDepartments, p =>
        {
            p.Add(Texts("code", definitions.Departments.Select(d => d.Code)));
            p.Add(Texts("name", definitions.Departments.Select(d => d.Name)));
            p.Add(Texts("kind", definitions.Departments.Select(d => d.Kind)));
        });

        var grades = definitions.Grades;
        await Run("grade", UpsertGrades, p =>
        {
            p.Add(Texts("kind", grades.Select(g => g.Kind)));
            p.Add(Texts("code", grades.Select(g => g.Code)));
            p.Add(Texts("name", grades.Select(g => g.Name)));
            p.Add(Texts("description", grades.Select(g => g.Description)));
            p.Add(new NpgsqlParameter<int[]>("ordinal", grades.Select((_, i) => i + 1).ToArray()));
        });

        var sets = definitions.CodeSets;
        await Run("code_set", UpsertCodeSets, p =>
        {
            p.Add(Texts("code", sets.Select(s => s.Code)));
            p.Add(Texts("name", sets.Select(s => s.Name)));
            p.Add(Texts("standard", sets.Select(s => s.Standard)));
            p.Add(Texts("description", sets.Select(s => s.Description)));
        });

        var values = sets.SelectMany(s => s.Values.Select((v, i) => (Set: s.Code, Value: v, Ordinal: i + 1))).ToList();
        await Run("code_value", UpsertCodeValues, p =>
        {
            p.Add(Texts("code_set", values.Select(v => v.Set)));
            p.Add(Texts("code", values.Select(v => v.Value.Code)));
            p.Add(Texts("name", values.Select(v => v.Value.Name)));
            p.Add(Texts("parent", values.Select(v => v.Value.ParentCode)));
            p.Add(new NpgsqlParameter<int[]>("ordinal", values.Select(v => v.Ordinal).ToArray()));
        });
        await Run("code_value", DeleteSurplusCodeValues, p =>
        {
            p.Add(Texts("sets", sets.Select(s => s.Code)));
            p.Add(Texts("code_set", values.Select(v => v.Set)));
            p.Add(Texts("code", values.Select(v => v.Value.Code)));
        }, removes: true);

        var elements = definitions.Elements;
        await Run("element", UpsertElements, p =>
        {
            p.Add(Texts("code", elements.Select(e => e.Code)));
            p.Add(Texts("name", elements.Select(e => e.Name)));
            p.Add(Texts("data_type", elements.Select(e => e.DataType)));
            p.Add(new NpgsqlParameter<int?[]>("length", elements.Select(e => e.Length).ToArray()));
            p.Add(Texts("format", elements.Select(e => e.Format)));
            p.Add(Texts("code_set", elements.Select(e => e.CodeSetCode)));
            p.Add(Texts("unit", elements.Select(e => e.Unit)));
            p.Add(Texts("description", elements.Select(e => e.Description)));
        });

        foreach (var level in definitions.Nodes.GroupBy(n => n.Level).OrderBy(g => g.Key))
        {
            await Run("node", UpsertNodes, p =>
            {
                p.Add(new NpgsqlParameter<short>("level", (short)level.Key));
                p.Add(Texts("code", level.Select(n => n.Code)));
                p.Add(Texts("name", level.Select(n => n.Name)));
                p.Add(Texts("parent", level.Select(n => n.ParentCode)));
                p.Add(Texts("description", level.Select(n => n.Description)));
                p.Add(Texts("element", level.Select(n => n.ElementCode)));
                p.Add(new NpgsqlParameter<short?[]>("sensitivity", level.Select(n => (short?)n.Sensitivity).ToArray()));
                p.Add(Texts("importance", level.Select(n => n.Importance)));
            });
        }

        var datasets = definitions.Datasets;
        await Run("dataset", UpsertDatasets, p =>
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
            p.Add(new NpgsqlParameter<DateOnly?[]>("published_on", datasets.Select(d => d.PublicationDate).ToArray()));
        });

        var columns = datasets.SelectMany(d => d.Columns.Select(c => (Dataset: d.Name, Column: c))).ToList();
        await Run("column", UpsertColumns, p =>
        {
            p.Add(Texts("dataset", columns.Select(c => c.Dataset)));
            p.Add(new NpgsqlParameter<int[]>("ordinal", columns.Select(c => c.Column.Ordinal).ToArray()));
            p.Add(Texts("name", columns.Select(c => c.Column.Name)));
            p.Add(Texts("data_type", columns.Select(c => c.Column.DataType)));
            p.Add(Texts("source", columns.Select(c => c.Column.Source)));
            p.Add(Texts("l5", columns.Select(c => c.Column.L5NodeCode)));
            p.Add(Texts("description", columns.Select(c => c.Column.Description)));
        });
        await Run("column", DeleteSurplusColumns, p =>
        {
            p.Add(Texts("dataset", datasets.Select(d => d.Name)));
            p.Add(new NpgsqlParameter<int[]>("column_count", datasets.Select(d => d.Columns.Count).ToArray()));
        }, removes: true);

        if (dryRun)
        {
            await transaction.RollbackAsync(ct);
        }
        else
        {
            await transaction.CommitAsync(ct);
        }

        var result = new CatalogLoadResult(changes, dryRun);
        LogLoaded(logger ?? NullLogger.Instance, definitions.Directory, dryRun ? "checked (dry run)" : "applied", result.Total,
            result.Departments, result.Nodes, result.Elements, result.CodeValues, result.Datasets, result.Columns);
        return result;
    }

    private static NpgsqlParameter<string?[]> Texts(string name, IEnumerable<string?> values) => new(name, values.ToArray());

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Catalog definitions from {Directory} {Mode}: {Total} row(s) changed — {Departments} department(s), {Nodes} node(s), {Elements} element(s), {CodeValues} code value(s), {Datasets} dataset(s), {Columns} column row(s)")]
    private static partial void LogLoaded(
        ILogger logger, string directory, string mode, int total, int departments, int nodes, int elements, int codeValues, int datasets, int columns);
}
