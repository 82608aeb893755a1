using System.Globalization;
using DataHub.Catalog;

namespace DataHub.Exchange.Masking;

/// <summary>
/// Decides how each requested column of a dataset is shown in a grant's view: plain where its level allows it or the
/// approval names it, masked by <c>catalog/masks.yaml</c> otherwise. A column's level is its L5 attribute's effective
/// sensitivity, or the dataset's when it is not mapped. Columns of a level that is never shared (level 4) are refused,
/// approval or not.
/// </summary>
/// <param name="catalog">The catalog the datasets come from.</param>
/// <param name="masks">The masks by grade.</param>
public sealed class MaskPlanner(CatalogDefinitions catalog, MaskDefinitions masks)
{
    private readonly Dictionary<string, SubjectNodeDefinition> _attributes =
        (catalog ?? throw new ArgumentNullException(nameof(catalog))).Nodes.Where(n => n.Level == 5).ToDictionary(n => n.Code, StringComparer.Ordinal);

    private readonly MaskDefinitions _masks = masks ?? throw new ArgumentNullException(nameof(masks));

    /// <summary>The select-list entry of each requested column, in the order requested.</summary>
    /// <param name="dataset">The catalogued dataset.</param>
    /// <param name="columns">The columns requested.</param>
    /// <param name="approvedPlain">The columns the approval grants in plain.</param>
    /// <exception cref="MaskPlanRefusedException">
    /// Any column is unknown, repeated or never shared, or the approval names a column the dataset lacks; every one is named.
    /// </exception>
    public IReadOnlyList<PlannedColumn> Plan(DatasetDefinition dataset, IReadOnlyList<string> columns, IReadOnlySet<string> approvedPlain)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(approvedPlain);
        var problems = new List<string>();
        var planned = new List<PlannedColumn>();
        foreach (var name in approvedPlain.Where(n => dataset.Columns.All(c => c.Name != n)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{name}: approved in plain but {dataset.Name} has no such column");
        }

        foreach (var name in columns.Distinct(StringComparer.Ordinal))
        {
            if (columns.Count(c => c == name) > 1)
            {
                problems.Add($"{name}: requested more than once");
            }
        }

        foreach (var name in columns.Distinct(StringComparer.Ordinal))
        {
            var column = dataset.Columns.FirstOrDefault(c => c.Name == name);
            if (column is null)
            {
                problems.Add($"{name}: {dataset.Name} has no such column");
                continue;
            }

            var attribute = column.L5NodeCode is not null && _attributes.TryGetValue(column.L5NodeCode, out var a) ? a : null;
            var level = attribute?.Sensitivity ?? dataset.Sensitivity;
            var type = _masks.SemanticTypeOf(attribute?.Code, attribute?.ElementCode);
            if (_masks.Levels.TryGetValue(level, out var grade) && grade.NeverShared)
            {
                problems.Add($"{name}: sensitivity level {level} ({(attribute is null ? "the dataset's level, the column is not mapped" : attribute.Code)}) never leaves the platform, approval or not; offer verification instead");
                continue;
            }

            var rule = _masks.RuleFor(level, attribute?.ElementCode, type)
                ?? throw new InvalidOperationException($"{_masks.SourceFile} has no masks for sensitivity level {level}");
            var plain = approvedPlain.Contains(name);
            var applied = plain ? MaskRule.Plain : rule;
            planned.Add(new PlannedColumn(name, level, type, applied, plain && rule.Kind != MaskKind.Plain, Expression(column, applied)));
        }

        return problems.Count == 0 ? planned : throw new MaskPlanRefusedException(dataset.Name, problems);
    }

    /// <summary>The view's query: the planned expressions over the dataset's lake table.</summary>
    /// <param name="dataset">The dataset planned.</param>
    /// <param name="plan">The result of <see cref="Plan"/>.</param>
    public static string SelectSql(DatasetDefinition dataset, IReadOnlyList<PlannedColumn> plan)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(plan);
        return $"SELECT {string.Join(", ", plan.Select(p => p.Sql))} FROM {Quote(dataset.Schema)}.{Quote(dataset.Table)}";
    }

    private static string Expression(DatasetColumnDefinition column, MaskRule rule)
    {
        var id = Quote(column.Name);
        var text = IsText(column.DataType) ? id : $"CAST({id} AS VARCHAR)";
        var masked = rule switch
        {
            { Kind: MaskKind.Plain } => id,
            { Kind: MaskKind.Redact } => $"CAST(NULL AS {column.DataType})",
            { Kind: MaskKind.Hash } => $"{MaskFunctions.PseudonymFunction}({text})",
            { Kind: MaskKind.Address, Cut: AddressCut.County } => $"{MaskFunctions.AddressCountyFunction}({text})",
            { Kind: MaskKind.Address } => $"{MaskFunctions.AddressFunction}({text})",
            { Kind: MaskKind.Keep, First: 1, Last: 0 } => $"{MaskFunctions.NameFunction}({text})",
            { Kind: MaskKind.Keep, First: 6, Last: 4 } => $"{MaskFunctions.CitizenIdFunction}({text})",
            { Kind: MaskKind.Keep, First: 3, Last: 4 } => $"{MaskFunctions.PhoneFunction}({text})",
            { Kind: MaskKind.Keep } => string.Create(CultureInfo.InvariantCulture, $"{MaskFunctions.KeepFunction}({text}, {rule.First}, {rule.Last})"),
            _ => throw new InvalidOperationException($"No SQL for mask {rule.Kind}"),
        };
        return $"{masked} AS {id}";
    }

    private static bool IsText(string type) =>
        type.StartsWith("VARCHAR", StringComparison.OrdinalIgnoreCase) || type.Equals("TEXT", StringComparison.OrdinalIgnoreCase);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
