using DataHub.Catalog;
using DataHub.Catalog.Tests;
using DataHub.Themes.Definitions;

namespace DataHub.Themes.Tests;

/// <summary>
/// The definition format's parts beyond one key column per source: several keys per row (<c>each</c>), value maps,
/// concatenations and constants, blank conditions, old taxpayer numbers resolved by another source, and a history —
/// as the repository's themes use them, and every misuse named with file, line and field.
/// </summary>
public sealed class DefinitionFormatTests : IDisposable
{
    private static readonly CatalogDefinitions Catalog = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());
    private readonly string _root = TestDirectories.Create("theme-format");

    public void Dispose() => TestDirectories.Delete(_root);

    [Fact]
    public void The_repository_themes_load_with_both_spouses_a_resolved_taxpayer_number_and_a_status_history()
    {
        var themes = ThemeDefinitionLoader.LoadDirectory(Path.Combine(CatalogDefinitions.FindDirectory(), "themes"), Catalog);
        var population = Assert.Single(themes, t => t.Name == "population");
        var civil = Assert.Single(population.Sources, s => s.Id == "civil");
        Assert.Equal(["male_citizen_id", "female_citizen_id"], civil.Roles.Select(r => r.KeyColumn));
        Assert.Equal(["male_name", "female_name"], civil.Roles.Select(r => r.Fields["name"].Column));
        Assert.All(civil.Roles, r => Assert.Equal("已婚", r.Fields["marital_status"].Map!["结婚"]));
        var newborn = Assert.Single(population.Sources, s => s.Id == "health_newborn");
        Assert.Equal(["name", "birth_date"], newborn.Roles[0].Fields["newborn"].Concat);
        Assert.Contains(newborn.Where, w => w.Column == "citizen_id" && w.Values.SequenceEqual([string.Empty]));

        var legal = Assert.Single(themes, t => t.Name == "legal_entity");
        Assert.Equal("market", Assert.Single(legal.Sources, s => s.Id == "tax").OldNumbersFrom);
        Assert.Equal("theme.legal_entity_status_history", legal.History!.Table);
        Assert.Contains(legal.History.Events, e => e is { Source: "tax", Event: "deregistered", DateColumn: "status_date" });
        Assert.Contains(legal.History.Events, e => e is { Source: "market", Event: "changed", After: "established_date" });
    }

    [Fact]
    public void Misuses_of_the_format_are_each_named_with_file_line_and_field()
    {
        var file = Path.Combine(_root, "broken.yaml");
        File.WriteAllText(file, """
            name: broken
            title: 坏
            table: theme.broken
            key: {field: citizen_id, kind: citizen_id}
            sources:
              - id: civil
                dataset: civil.marriage_registration
                key: male_citizen_id
                old_numbers_from: police
                fields: {marital_status: {map: {结婚: 已婚}}}
                each:
                  - {key: husband_id, fields: {name: male_name}, role: x}
              - id: police
                dataset: population.household_registration
                key: citizen_id
                fields: {name: {concat: [name]}, household_no: {value: ''}}
            fields:
              - {name: name, type: VARCHAR, priority: [police, civil]}
              - {name: marital_status, type: VARCHAR, priority: [civil]}
              - {name: household_no, type: VARCHAR, priority: [police]}
            history:
              table: theme.broken
              events:
                - {source: police, event: moved, date: name}
                - {source: nobody, event: born, date: birth_date}
            """);
        var problems = Assert.Throws<ThemeDefinitionException>(() => ThemeDefinitionLoader.Load(file, Catalog)).Problems;
        string[] expected =
        [
            "broken.yaml:8: sources[0].key: give the key in each entry of 'each', not here",
            "broken.yaml:10: sources[0].fields.marital_status: give exactly one of column, concat, value",
            "broken.yaml:12: sources[0].each[0].role: unknown key",
            "broken.yaml:12: sources[0].each[0].key: civil.marriage_registration has no column 'husband_id'",
            "broken.yaml:16: sources[1].fields.name.concat: a list of at least two columns",
            "broken.yaml:16: sources[1].fields.household_no.value: give a value",
            "sources.civil.old_numbers_from: old taxpayer numbers stand for credit codes",
            "broken.yaml:22: history.table: theme.broken is already a table of the theme",
            "broken.yaml:24: history.events[0].date: name is VARCHAR, not a date or timestamp",
            "broken.yaml:25: history.events[1].source: 'nobody' is not a source of this theme",
        ];
        foreach (var problem in expected)
        {
            Assert.True(problems.Any(p => p.Contains(problem, StringComparison.Ordinal)), $"missing '{problem}' in:\n{string.Join('\n', problems)}");
        }
    }
}
