using System.Text;
using DataHub.Catalog;
using DataHub.DuckDb;
using DataHub.Exchange.Masking;

namespace DataHub.Exchange.Tests;

public sealed class MaskPlannerTests
{
    private const string Dataset = "population.household_registration";

    private static readonly CatalogDefinitions Catalog = CatalogDefinitions.Load(CatalogDefinitions.FindDirectory());

    private static readonly MaskPlanner Planner = new(Catalog, MaskFileLoader.Load(Path.Combine(Catalog.Directory, MaskFileLoader.FileName), Catalog));

    private static readonly string[] Shareable =
        ["name", "sex", "birth_date", "ethnicity", "registered_address", "registered_division", "household_no", "registration_date"];

    [Fact]
    public void Household_registration_is_masked_by_each_columns_level()
    {
        var plan = Planner.Plan(Catalog.GetDataset(Dataset), Shareable, new HashSet<string>());
        Assert.Equal(
        [
            "dh_mask_name(\"name\") AS \"name\"",                              // level 3 name
            "\"sex\" AS \"sex\"",                                                // level 2, no mask for sex codes
            "\"birth_date\" AS \"birth_date\"",                                  // level 2 quasi-identifier, plain by default
            "CAST(NULL AS VARCHAR) AS \"ethnicity\"",                            // level 3 default: redacted
            "dh_mask_address(\"registered_address\") AS \"registered_address\"", // level 3 address
            "\"registered_division\" AS \"registered_division\"",
            "dh_mask_pseudonym(\"household_no\") AS \"household_no\"",           // level 3 (the entity's) identifier
            "\"registration_date\" AS \"registration_date\"",                    // level 1
        ], plan.Select(p => p.Sql));
        Assert.Equal([3, 2, 2, 3, 3, 2, 3, 1], plan.Select(p => p.Sensitivity));
        Assert.Equal("identifier", plan.Single(p => p.Column == "household_no").SemanticType);
        Assert.DoesNotContain(plan, p => p.ApprovedPlain);
    }

    [Fact]
    public void Plain_values_leave_only_where_the_approval_says_so()
    {
        var plan = Planner.Plan(Catalog.GetDataset(Dataset), ["name", "registered_address", "household_no", "sex"], new HashSet<string> { "registered_address", "sex" });
        Assert.Equal(
        [
            "dh_mask_name(\"name\") AS \"name\"",
            "\"registered_address\" AS \"registered_address\"",
            "dh_mask_pseudonym(\"household_no\") AS \"household_no\"",
            "\"sex\" AS \"sex\"",
        ], plan.Select(p => p.Sql));
        Assert.Equal(["registered_address"], plan.Where(p => p.ApprovedPlain).Select(p => p.Column)); // sex was plain anyway
    }

    [Fact]
    public void Level_four_columns_are_refused_even_when_approved_in_plain()
    {
        var error = Assert.Throws<MaskPlanRefusedException>(() =>
            Planner.Plan(Catalog.GetDataset(Dataset), ["citizen_id", "name", "shoe_size"], new HashSet<string> { "citizen_id", "colour" }));
        Assert.Equal(
        [
            "colour: approved in plain but population.household_registration has no such column",
            "citizen_id: sensitivity level 4 (L5.population.registered.registration.citizen_id) never leaves the platform, approval or not; offer verification instead",
            "shoe_size: population.household_registration has no such column",
        ], error.Problems);
    }

    [Fact]
    public void The_planned_view_masks_real_rows_in_duckdb()
    {
        var dataset = Catalog.GetDataset(Dataset);
        var plan = Planner.Plan(dataset, Shareable, new HashSet<string>());
        using var duck = new DuckDbConnection();
        duck.Open();
        MaskFunctions.Register(duck, Encoding.UTF8.GetBytes("exchange-test-key-0123456789"));
        var columns = string.Join(", ", dataset.Columns.Select(c => $"{c.Name} {c.DataType}"));
        using (var setup = new DuckDbCommand(
            $"""
            CREATE SCHEMA population;
            CREATE TABLE population.household_registration ({columns});
            INSERT INTO population.household_registration VALUES
              ('340122198610019832', '彭斌', '1', DATE '1986-10-01', '01',
               '安徽省合肥市肥东县八斗镇红星社区店忠路832号和顺新村31栋4单元2502室', '340122', '34012210700000000', DATE '2005-04-15');
            CREATE VIEW shared AS {MaskPlanner.SelectSql(dataset, plan)};
            """, duck))
        {
            setup.ExecuteNonQuery();
        }

        using var command = new DuckDbCommand("SELECT name, sex, ethnicity, registered_address, household_no, registration_date FROM shared", duck);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("彭*", reader.GetString(0));
        Assert.Equal("1", reader.GetString(1));
        Assert.True(reader.IsDBNull(2));
        Assert.Equal("安徽省合肥市肥东县八斗镇****", reader.GetString(3));
        Assert.Equal(Masks.Hash("34012210700000000", Encoding.UTF8.GetBytes("exchange-test-key-0123456789")), reader.GetString(4));
        Assert.Equal(new DateOnly(2005, 4, 15), DateOnly.FromDateTime(reader.GetDateTime(5)));
        Assert.DoesNotContain("exchange-test-key", MaskPlanner.SelectSql(dataset, plan), StringComparison.Ordinal);
    }

    [Fact]
    public void The_planned_expressions_over_the_population_sample_show_no_raw_identifier()
    {
        var dataset = Catalog.GetDataset(Dataset);
        var plan = Planner.Plan(dataset, ["name", "registered_address", "household_no", "sex"], new HashSet<string>());
        var sample = Path.Combine(Path.GetDirectoryName(Catalog.Directory)!, "samples", "population", "household_registration_2026-09-30.csv");
        using var duck = new DuckDbConnection();
        duck.Open();
        MaskFunctions.Register(duck, Encoding.UTF8.GetBytes("exchange-test-key-0123456789"));
        using (var setup = new DuckDbCommand(
            $"""
            CREATE SCHEMA population;
            CREATE TABLE population.household_registration AS
              SELECT * FROM read_csv('{sample.Replace("'", "''", StringComparison.Ordinal)}', header = true, all_varchar = true, null_padding = true,
                                     ignore_errors = true, names = [{string.Join(", ", dataset.Columns.Select(c => $"'{c.Name}'"))}]);
            """, duck))
        {
            setup.ExecuteNonQuery();
        }

        // The raw values beside the planned expressions, in one scan (the plan's aliases repeat the raw names; read by position).
        using var command = new DuckDbCommand(
            $"""
            SELECT name, registered_address, household_no, {string.Join(", ", plan.Take(3).Select(p => p.Sql))}
            FROM population.household_registration
            WHERE name IS NOT NULL AND registered_address IS NOT NULL AND household_no IS NOT NULL
            """, duck);
        using var reader = command.ExecuteReader();
        var pseudonyms = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = 0;
        var cut = 0;
        while (reader.Read())
        {
            var (name, address, household) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            Assert.Equal(Masks.Name(name), reader.GetString(3));
            Assert.NotEqual(name.Trim(), reader.GetString(3));
            Assert.EndsWith(Masks.AddressFill, reader.GetString(4), StringComparison.Ordinal);
            var kept = reader.GetString(4)[..^Masks.AddressFill.Length];
            Assert.StartsWith(kept, address, StringComparison.Ordinal);
            Assert.True(kept.Length < address.Length, $"{address} kept as {kept}"); // the dirt (无) is hidden whole
            cut += kept.Length > 0 ? 1 : 0;
            Assert.NotEqual(household, reader.GetString(5));
            // One household, one pseudonym, and no two households share one: the view still joins and counts.
            Assert.Equal(pseudonyms.GetValueOrDefault(household, reader.GetString(5)), reader.GetString(5));
            pseudonyms[household] = reader.GetString(5);
            rows++;
        }

        Assert.True(rows > 250 && cut > rows - 10, $"{rows} rows, {cut} addresses cut after a county or township");
        Assert.Equal(pseudonyms.Count, pseudonyms.Values.Distinct(StringComparer.Ordinal).Count());
    }
}
