using DataHub.Themes.Definitions;
using Xunit.Abstractions;

namespace DataHub.Host.Tests;

/// <summary>
/// The population and legal-entity themes over the real samples ingested through their pipelines: every fact of
/// <c>samples/themes/expected_conflicts.csv</c> holds in the golden records, fields come by declared priority with their
/// provenance, the status history lists each entity's events, and the sources' conflicts are quality problems.
/// </summary>
public sealed class ThemeFusionTests(ThemeFusionFixture fixture, ITestOutputHelper output) : IClassFixture<ThemeFusionFixture>
{
    [Fact]
    public async Task Every_expected_fact_holds_in_the_golden_records_with_a_source_the_evidence_names()
    {
        Assert.Equal(21, ThemeFusionFixture.Facts.Count);
        var records = new Dictionary<string, Dictionary<string, Dictionary<string, string?>>>(StringComparer.Ordinal)
        {
            ["population"] = await fixture.RecordsAsync("theme.population", "citizen_id"),
            ["legal_entity"] = await fixture.RecordsAsync("theme.legal_entity", "credit_code"),
        };
        var failures = new List<string>();
        foreach (var fact in ThemeFusionFixture.Facts)
        {
            var (themeName, key, field, expected) = (fact[0], fact[1], fact[2], fact[3]);
            var theme = themeName == "population" ? fixture.PopulationTheme : fixture.LegalEntityTheme;
            var evidence = fact[4].Split(';').Select(e => e.Split('|')[0]).ToHashSet(StringComparer.Ordinal);
            string DatasetOf(string? source) => theme.Sources.FirstOrDefault(s => s.Id == source)?.Dataset ?? "(none)";
            if (!records[themeName].TryGetValue(key, out var record))
            {
                failures.Add($"{themeName} {key}: no golden record");
                continue;
            }

            if (field == theme.KeyField || field == "uscc")
            {
                // The identifier as the evidence writes it (15 digits, spaces, full-width, an old taxpayer number) was
                // matched: every dataset the evidence names supplied a field of this record.
                var supplying = theme.Fields.Select(f => DatasetOf(record[f.Name + "__source"])).ToHashSet(StringComparer.Ordinal);
                foreach (var dataset in evidence.Where(d => !supplying.Contains(d)))
                {
                    failures.Add($"{themeName} {key}: no field of the record comes from {dataset} (fields from {string.Join(", ", supplying)})");
                }

                continue;
            }

            if (record[field] != expected)
            {
                failures.Add($"{themeName} {key} {field}: '{record[field]}', expected '{expected}' ({fact[5]})");
            }
            else if (!evidence.Contains(DatasetOf(record[field + "__source"])))
            {
                failures.Add($"{themeName} {key} {field}: chosen from {record[field + "__source"]}, which the evidence does not name");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task A_newborn_without_an_id_number_has_no_record_of_its_own_and_is_kept_on_the_mothers()
    {
        var fact = Assert.Single(ThemeFusionFixture.Facts, f => f[2] == "newborn");
        var people = await fixture.RecordsAsync("theme.population", "citizen_id");
        Assert.Equal(fact[3], people[fact[1]]["newborn"]);
        Assert.Equal("health_newborn", people[fact[1]]["newborn__source"]);
        var (name, born) = (fact[3].Split(' ')[0], fact[3].Split(' ')[1]);
        Assert.DoesNotContain(people.Values, p => p["name"] == name && p["birth_date"] == born);
        // Each unregistered birth (blank ID number) counted as an invalid key of the health source, none of the newborn source.
        var health = Assert.Single(fixture.Population.Sources, s => s.Id == "health");
        var newborn = Assert.Single(fixture.Population.Sources, s => s.Id == "health_newborn");
        Assert.Equal(newborn.Rows, health.InvalidKeys);
        Assert.Equal(0, newborn.InvalidKeys);
        Assert.True(newborn.Rows > 0);
    }

    [Fact]
    public async Task Fields_come_from_the_first_source_in_their_priority_that_has_them_and_keep_source_and_snapshot()
    {
        foreach (var (theme, build) in new[] { (fixture.PopulationTheme, fixture.Population), (fixture.LegalEntityTheme, fixture.LegalEntity) })
        {
            var snapshots = build.Sources.ToDictionary(s => s.Id, s => s.SnapshotId?.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
            var records = await fixture.RowsAsync(theme.Table);
            Assert.Equal(build.Records, records.Count);
            foreach (var record in records)
            {
                foreach (var field in theme.Fields.Where(f => record[f.Name] is not null))
                {
                    var source = record[field.Name + "__source"];
                    Assert.Contains(source, field.Priority);
                    Assert.Equal(snapshots[source!], record[field.Name + "__snapshot"]);
                }

                Assert.Equal(theme.Fields.Select(f => record[f.Name + "__source"]).OfType<string>().Distinct().Order(StringComparer.Ordinal), record["sources"]!.Split(','));
            }
        }

        // Priority: everyone the household registration names has its name and registered address (whatever the other
        // sources write); every enterprise of the market register its name.
        var people = await fixture.RecordsAsync("theme.population", "citizen_id");
        var police = ThemeFusionFixture.Query($"""
            SELECT dh_citizen_id(citizen_id) AS id, list(DISTINCT name) AS names FROM ({(await fixture.Platform.Tables.ScanAsync("population.household_registration")).Sql})
            WHERE dh_citizen_id(citizen_id) IS NOT NULL AND name IS NOT NULL GROUP BY 1
            """);
        Assert.True(police.Count > 200);
        foreach (var person in police)
        {
            var record = people[person["id"]!];
            Assert.Equal("police", record["name__source"]);
            Assert.Contains(record["name"]!, person["names"]!, StringComparison.Ordinal);
        }

        var registeredElsewhere = people.Values.Where(p => p["name__source"] is not null and not "police").ToList();
        Assert.NotEmpty(registeredElsewhere); // people known only from the other sources still have a name, from the next source
        var enterprises = await fixture.RecordsAsync("theme.legal_entity", "credit_code");
        var market = ThemeFusionFixture.Query($"SELECT DISTINCT dh_credit_code(uscc) AS code FROM ({(await fixture.Platform.Tables.ScanAsync("market.business_registration")).Sql}) WHERE dh_credit_code(uscc) IS NOT NULL AND name IS NOT NULL");
        Assert.All(market, m => Assert.Equal("market", enterprises[m["code"]!]["name__source"]));
    }

    [Fact]
    public async Task Old_taxpayer_numbers_are_matched_to_the_market_registers_credit_code()
    {
        var tax = Assert.Single(fixture.LegalEntity.Sources, s => s.Id == "tax");
        var old = ThemeFusionFixture.Query($"SELECT trim(taxpayer_id) AS old FROM ({(await fixture.Platform.Tables.ScanAsync("tax.taxpayer_registration")).Sql}) WHERE length(trim(taxpayer_id)) = 15");
        Assert.NotEmpty(old);
        Assert.Equal(old.Count, tax.OldNumbers);
        var enterprises = await fixture.RecordsAsync("theme.legal_entity", "credit_code");
        foreach (var number in old.Select(o => o["old"]!))
        {
            var record = Assert.Single(enterprises.Values, e => e["credit_code"]![2..17] == number);
            Assert.Equal("tax", record["tax_status__source"]);
        }
    }

    [Fact]
    public async Task The_status_history_lists_each_entitys_events_from_every_source_with_its_date()
    {
        var history = await fixture.RowsAsync("theme.legal_entity_status_history");
        string Event(Dictionary<string, string?> e) => $"{e["credit_code"]}|{e["event"]}|{e["source"]}|{e["event_date"]}";
        var events = history.Select(Event).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(history.Count, events.Count);
        var market = (await fixture.Platform.Tables.ScanAsync("market.business_registration")).Sql;
        var tax = (await fixture.Platform.Tables.ScanAsync("tax.taxpayer_registration")).Sql;
        var expected = ThemeFusionFixture.Query($"""
            SELECT dh_credit_code(uscc) AS credit_code, 'established' AS event, 'market' AS source, established_date::VARCHAR AS event_date FROM ({market}) WHERE established_date IS NOT NULL
            UNION ALL SELECT dh_credit_code(uscc), 'deregistered', 'market', approval_date::VARCHAR FROM ({market}) WHERE status = '注销'
            UNION ALL SELECT dh_credit_code(taxpayer_id), 'deregistered', 'tax', status_date::VARCHAR FROM ({tax}) WHERE status = '注销' AND status_date IS NOT NULL
            UNION ALL SELECT dh_credit_code(taxpayer_id), 'registered', 'tax', registration_date::VARCHAR FROM ({tax}) WHERE registration_date IS NOT NULL
            """).Where(e => e["credit_code"] is not null).Select(Event).ToList();
        Assert.True(expected.Count > 400);
        Assert.DoesNotContain(expected, e => !events.Contains(e));

        // The deregistered enterprise of the expected facts: established, registered for tax, deregistered by tax, then by the market register, in date order.
        var fact = Assert.Single(ThemeFusionFixture.Facts, f => f[0] == "legal_entity" && f[5].StartsWith("status history", StringComparison.Ordinal));
        var its = history.Where(e => e["credit_code"] == fact[1]).OrderBy(e => e["event_date"], StringComparer.Ordinal).ThenBy(e => e["source"], StringComparer.Ordinal).ToList();
        Assert.Equal(["established/market", "registered/tax", "deregistered/tax", "deregistered/market"],
            its.Where(e => e["event"] is "established" or "registered" or "deregistered").Select(e => $"{e["event"]}/{e["source"]}"));
        foreach (var date in System.Text.RegularExpressions.Regex.Matches(fact[5], @"\d{4}-\d{2}-\d{2}").Select(m => m.Value))
        {
            Assert.Contains(its, e => e["event_date"] == date);
        }
    }

    [Fact]
    public async Task Conflicts_between_sources_are_consistency_problems_in_the_quality_results_and_the_bulletin()
    {
        var conflicts = await fixture.RowsAsync("theme.population_conflicts");
        Assert.Contains(conflicts, c => c["key"] == "34011119931118346X" && c["field"] == "name" && c["values"]!.Contains("蔡悦", StringComparison.Ordinal) && c["chosen"] == "蔡思悦");
        var entityConflicts = await fixture.RowsAsync("theme.legal_entity_conflicts");
        Assert.Contains(entityConflicts, c => c["key"] == "91340102MA2E8K3K46" && c["field"] == "status" && c["values"] == "存续 | 注销" && c["chosen_source"] == "market");
        Assert.DoesNotContain(conflicts, c => c["field"] is "residence_address" or "marital_status"); // declared conflicts: false

        var quality = DataHub.Host.Platform.QualityServiceFactory.Create(fixture.Platform);
        foreach (var (build, table, all) in new[] { (fixture.Population, conflicts, "theme.population.sources.agree"), (fixture.LegalEntity, entityConflicts, "theme.legal_entity.sources.agree") })
        {
            var run = (await quality.GetRunAsync(build.Quality!.RunId))!.Value;
            Assert.Equal(build.Table, run.Run.Dataset);
            var rules = run.Rules.ToDictionary(r => r.RuleId, StringComparer.Ordinal);
            var agree = rules[all];
            Assert.Equal(("source_conflicts", "consistency", "warn"), (agree.Kind, agree.Dimension, agree.Outcome));
            Assert.Equal(table.Select(c => c["key"]).Distinct().Count(), agree.Failed);
            Assert.Equal(build.Records, agree.Checked);
            foreach (var field in table.Select(c => c["field"]!).Distinct())
            {
                if (rules.TryGetValue($"{build.Table}.{field}.source_conflicts", out var one))
                {
                    Assert.Equal(table.Count(c => c["field"] == field), one.Failed);
                }
            }

            Assert.True(run.Run.Scores["consistency"] < 100);
            var keyField = build.Theme == "population" ? "citizen_id" : "credit_code";
            Assert.Equal("pass", rules[$"{build.Table}.{keyField}.key_unique"].Outcome);
        }

        var now = DateTimeOffset.UtcNow;
        var bulletin = await quality.BulletinAsync(now.Year, now.Month);
        Assert.Contains(bulletin.Consistency, r => r.Dataset == "theme.population" && r.RuleId == "theme.population.sources.agree");
        Assert.Contains(bulletin.Consistency, r => r.Dataset == "theme.legal_entity" && r.RuleId == "theme.legal_entity.status.source_conflicts");
        Assert.All(bulletin.Consistency.Where(r => r.Dataset == "theme.population").SelectMany(r => r.Examples), e => Assert.DoesNotContain("34011119931118346X", e, StringComparison.Ordinal));
        Assert.Contains(bulletin.Departments, d => d.Score.Department == "bureau");

        // 一标三实: each theme's records linked to standard addresses, the unlinked counted by the address_link rule.
        foreach (var (build, rule, field, prefix) in new[]
        {
            (fixture.Population, "theme.population.address.standard_address", "residence_address", "address"),
            (fixture.Population, "theme.population.registered_address.standard_address", "registered_address", "registered_address"),
            (fixture.LegalEntity, "theme.legal_entity.address.standard_address", "address", "address"),
        })
        {
            Assert.NotNull(build.LibrarySnapshotId);
            Assert.True(build.AddressesGeocoded > 0);
            var records = await fixture.RowsAsync(build.Table);
            var linked = records.Count(r => r[prefix + "_code"] is not null);
            Assert.All(records.Where(r => r[field] is not null), r => Assert.NotNull(r[prefix + "_match_level"]));
            Assert.All(records.Where(r => r[field] is null), r => Assert.Null(r[prefix + "_code"]));
            Assert.All(records.Where(r => r[prefix + "_code"] is not null), r => Assert.Equal("Address", r[prefix + "_match_level"]));
            Assert.All(records.Where(r => r[prefix + "_code"] is not null), r => Assert.StartsWith(r[prefix + "_community"]!, r[prefix + "_code"]!, StringComparison.Ordinal));
            var result = (await quality.GetRunAsync(build.Quality!.RunId))!.Value.Rules.Single(r => r.RuleId == rule);
            Assert.Equal(("address_link", (long)records.Count, (long)(records.Count - linked)), (result.Kind, result.Checked, result.Failed));
            var line = Assert.Single(bulletin.AddressLinks, r => r.RuleId == rule);
            Assert.Equal((result.Checked, result.Failed), (line.Checked, line.Failed));
            Assert.NotEmpty(line.Examples);
            Assert.DoesNotContain($"{field}=NULL", line.Examples[0], StringComparison.Ordinal); // an unresolvable address first, masked
        }
    }

    [Fact]
    public async Task Most_people_and_entities_link_to_the_standard_address_they_live_at_and_the_unlinked_are_the_deliberately_unresolvable()
    {
        // The samples' people and enterprises live at standard addresses of samples/address, each source writing them its
        // own way; a few percent are written without room or door number or are at places the library does not list.
        var expected = Samples.SampleAddressTruth.CodeOf(Samples.SampleAddressTruth.Records);
        foreach (var (table, field, prefix) in new[]
        {
            ("theme.population", "residence_address", "address"),
            ("theme.population", "registered_address", "registered_address"),
            ("theme.legal_entity", "address", "address"),
        })
        {
            var records = await fixture.RowsAsync(table);
            var addressed = records.Where(r => r[field] is not null).ToList();
            var linked = addressed.Count(r => r[prefix + "_code"] is not null);
            var rate = (double)linked / addressed.Count;
            output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{table}.{field}: {linked}/{addressed.Count} = {rate:P1} of the records with an address linked; {linked}/{records.Count} of all"));

            // Each record is linked to the standard address its chosen text was written from, and the unlinked ones are
            // exactly those whose text was written not to resolve.
            Assert.All(addressed, r => Assert.Equal(expected[r[field]!], r[prefix + "_code"]));
            var unlinked = addressed.Where(r => r[prefix + "_code"] is null).ToList();
            Assert.NotEmpty(unlinked);
            Assert.All(unlinked, r => Assert.Null(expected[r[field]!]));

            // High but not complete: ≥ 85 % of the records with an address.
            Assert.InRange(rate, 0.85, 0.99);
        }

        // Who has no residence address at all is known only from sources without one: a spouse from another city (the
        // marriage register) or a child from a birth certificate; their records fail address_link too.
        var people = await fixture.RowsAsync("theme.population");
        var withoutAddress = people.Where(r => r["residence_address"] is null).ToList();
        Assert.All(withoutAddress, r => Assert.Empty(r["sources"]!.Split(',').Except(["civil", "health", "health_newborn"])));
        Assert.InRange((double)people.Count(r => r["address_code"] is not null) / people.Count, 0.75, 0.99);
    }
}
