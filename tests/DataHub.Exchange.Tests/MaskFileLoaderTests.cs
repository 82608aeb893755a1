using DataHub.Catalog;
using DataHub.Exchange.Masking;

namespace DataHub.Exchange.Tests;

public sealed class MaskFileLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("datahub-masks-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_catalogs_masks_load_against_the_catalog()
    {
        var catalogDirectory = CatalogDefinitions.FindDirectory();
        var masks = MaskFileLoader.Load(Path.Combine(catalogDirectory, MaskFileLoader.FileName), CatalogDefinitions.Load(catalogDirectory));
        Assert.Equal([1, 2, 3, 4], masks.Levels.Keys.Order());
        Assert.True(masks.Levels[4].NeverShared);
        Assert.Equal("name", masks.SemanticTypeOf(null, "person_name"));
        Assert.Equal(new MaskRule(MaskKind.Keep, 3, 4), masks.RuleFor(3, "phone_number", "phone")! with { Source = string.Empty });
        Assert.Equal(MaskKind.Redact, masks.RuleFor(3, "ethnicity_code", null)!.Kind);
        Assert.Equal(MaskKind.Plain, masks.RuleFor(1, "person_name", "name")!.Kind);
        Assert.Null(masks.RuleFor(4, "citizen_id", "citizen_id"));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_file_line_and_field()
    {
        var file = Write(
            """
            hash_length: 99
            colour: blue
            types:
              elements:
                person_name: nickname
                no_such_element: name
            levels:
              - level: 1
                default: plain
              - level: 2
                default: {mask: keep, first: 1, cut: township}
                masks:
                  phone: {mask: keep, first: three}
                  address: {mask: address, cut: village}
                  shoe_size: hash
              - level: 3
                default: {mask: keep}
                masks:
                  name: sparkle
              - level: 4
                default: plain
            """);
        var error = Assert.Throws<MaskDefinitionException>(() => MaskFileLoader.Load(file, Catalog()));
        Assert.Equal(
        [
            $"{file}:2: colour: not one of hash_length, types, levels",
            $"{file}:1: hash_length: '99' is not a whole number from 8 to 64",
            $"{file}:5: types.elements.person_name: 'nickname' is not one of name, citizen_id, phone, address, identifier, free_text",
            $"{file}:6: types.elements.no_such_element: 'no_such_element' is not a data element of catalog/elements.yaml",
            $"{file}:11: levels.2.default.cut: cut belongs to address masks, not keep",
            $"{file}:13: levels.2.masks.phone.first: 'three' is not a whole number ≥ 0",
            $"{file}:14: levels.2.masks.address.cut: 'village' is not township or county",
            $"{file}:15: levels.2.masks.shoe_size: not a semantic type (name, citizen_id, phone, address, identifier, free_text) or a data element of catalog/elements.yaml",
            $"{file}:17: levels.3.default.first: a keep mask keeps at least one character (first, last or both); use redact to hide everything",
            $"{file}:19: levels.3.masks.name.mask: 'sparkle' is not one of plain, keep, address, hash, redact",
            $"{file}:20: levels.4.never_shared: level 4 (敏感) is never shared outward: never_shared: true",
        ], error.Problems);
    }

    [Fact]
    public void A_level_that_is_never_shared_has_no_masks()
    {
        var file = Write(
            """
            levels:
              - {level: 1, default: plain}
              - {level: 2, default: plain}
              - {level: 3, default: redact}
              - level: 4
                never_shared: true
                masks:
                  name: plain
            """);
        var problem = Assert.Single(Assert.Throws<MaskDefinitionException>(() => MaskFileLoader.Load(file)).Problems);
        Assert.Equal($"{file}:7: levels.4.masks: a level that is never shared has no masks", problem);
    }

    [Fact]
    public void Missing_and_repeated_levels_are_named()
    {
        var file = Write(
            """
            levels:
              - level: 1
                default: plain
              - level: 1
                default: redact
              - level: 4
                never_shared: true
            """);
        var error = Assert.Throws<MaskDefinitionException>(() => MaskFileLoader.Load(file));
        Assert.Equal(
        [
            $"{file}:4: level: level 1 is declared twice",
            $"{file}:2: levels: level 2 (catalog/grades.yaml) has no entry",
            $"{file}:2: levels: level 3 (catalog/grades.yaml) has no entry",
        ], error.Problems);
    }

    [Fact]
    public void A_syntax_error_names_its_line()
    {
        var file = Write("levels:\n  - level: 1\n    default: [plain\n");
        var problem = Assert.Single(Assert.Throws<MaskDefinitionException>(() => MaskFileLoader.Load(file)).Problems);
        Assert.StartsWith($"{file}:", problem, StringComparison.Ordinal);
        Assert.Contains("(syntax)", problem, StringComparison.Ordinal);
    }

    private static CatalogDefinitions Catalog() => CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());

    private string Write(string yaml)
    {
        var file = Path.Combine(_directory, "masks.yaml");
        File.WriteAllText(file, yaml);
        return file;
    }
}
