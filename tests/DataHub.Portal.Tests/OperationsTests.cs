using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataHub.Portal.Tests;

/// <summary>The operational pages: the quarantine browser with re-submit, pipelines with run-now, data demands, the audit log.</summary>
[Collection(PortalGroup.Name)]
public sealed partial class OperationsTests(PortalFixture fixture)
{
    [Fact]
    public async Task A_provider_corrects_a_quarantined_row_and_it_commits_while_an_uncorrected_one_is_quarantined_again()
    {
        var page = await fixture.SignInAsync("water.approver");
        await page.GotoAsync("/quality/quarantine");
        // A department's approver browses its own pipelines only.
        var options = await page.Locator("select[name=pipeline] option").AllInnerTextsAsync();
        Assert.Contains("water_meter_daily", options);
        Assert.DoesNotContain("population_household_registration", options);
        await page.SelectOptionAsync("select[name=pipeline]", "water_meter_daily");
        await page.ClickAsync("form.inline-form button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("pipeline=water_meter_daily"));
        var rows = page.Locator("[data-testid=quarantined-row]");
        var before = await rows.CountAsync();
        Assert.True(before >= 3, $"{before} quarantined rows of the water samples");
        await PortalFixture.ShotAsync(page, "12-quarantine");

        // The impossible reading date 2026-13-01, corrected, commits through the same pipeline and gate.
        var dated = rows.Filter(new LocatorFilterOptions { Has = page.Locator("input[value='2026-13-01']") });
        await Expect(dated).ToHaveCountAsync(1);
        await dated.Locator("input[name='v:抄表日期']").FillAsync("2026-10-01");
        await dated.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("[data-testid=resubmit-outcome]")).ToContainTextAsync("read 1 = committed 1 + quarantined 0");
        await Expect(rows).ToHaveCountAsync(before - 1);
        await Expect(page.Locator("[data-testid=quarantine-counts]")).ToHaveTextAsync($"{before - 1} 条待处理 · 1 条已重新提交");
        await Expect(page.Locator("input[value='2026-13-01']")).ToHaveCountAsync(0);

        // The usage 约1.2 re-submitted as it is breaks the same way and stays in quarantine.
        var text = rows.Filter(new LocatorFilterOptions { Has = page.Locator("input[value='约1.2']") });
        await Expect(text).ToHaveCountAsync(1);
        await text.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("[data-testid=resubmit-outcome]")).ToContainTextAsync("read 1 = committed 0 + quarantined 1");
        await Expect(rows.Filter(new LocatorFilterOptions { Has = page.Locator("input[value='约1.2']") })).ToHaveCountAsync(1);

        // The committed row is in the lake under its account.
        await using var count = fixture.Platform.DataSource.CreateCommand(
            "SELECT count(*) FROM datahub.ingest_run WHERE pipeline = 'water_meter_daily' AND rows_committed = 1 AND rows_read = 1");
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);

        // A requester has no quarantine browser.
        var analyst = await fixture.SignInAsync("gas.analyst");
        Assert.Equal(403, (await analyst.GotoAsync("/quality/quarantine?pipeline=water_meter_daily"))!.Status);
        await analyst.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pipelines_show_schedules_and_last_runs_and_only_an_administrator_runs_one_now()
    {
        var analyst = await fixture.SignInAsync("gas.analyst");
        await analyst.GotoAsync("/pipelines");
        var table = analyst.Locator("[data-testid=pipelines]");
        await Expect(table.Locator("tr", new LocatorLocatorOptions { HasText = "water_meter_daily" })).ToContainTextAsync("0 30 2 * * ?");
        await Expect(table.Locator("button")).ToHaveCountAsync(0);
        await analyst.Context.CloseAsync();

        var admin = await fixture.SignInAsync("bureau.admin");
        await admin.GotoAsync("/pipelines");
        var heat = admin.Locator("[data-testid=pipelines] tr", new PageLocatorOptions { HasText = "heat_household_daily" });
        await Expect(heat.Locator("td").Nth(4)).ToHaveTextAsync(string.Empty);
        await heat.Locator("button").ClickAsync();
        // The heat sample: 300 rows, 18 of them quarantined (samples/README.md), and the counts add up.
        await Expect(admin.Locator("[data-testid=run-outcome]")).ToContainTextAsync("read 300 = committed 282 + quarantined 18");
        await Expect(admin.Locator("[data-testid=pipelines] tr", new PageLocatorOptions { HasText = "heat_household_daily" }).Locator("td").Nth(4))
            .ToContainTextAsync("282 / 18");
        await PortalFixture.ShotAsync(admin, "13-pipelines");

        // Run again: each file is ingested once, so nothing is read.
        await admin.Locator("[data-testid=pipelines] tr", new PageLocatorOptions { HasText = "heat_household_daily" }).Locator("button").ClickAsync();
        await Expect(admin.Locator("[data-testid=run-outcome]")).ToContainTextAsync("read 0 = committed 0 + quarantined 0");
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task A_data_demand_is_posted_with_errors_shown_next_to_the_fields_first()
    {
        var page = await fixture.SignInAsync("gas.analyst");
        await page.GotoAsync("/demands");
        await page.FillAsync("#d-title", "燃气户与供热户的对应关系");
        await page.ClickAsync("[data-testid=demand-form] button[type=submit]");
        await Expect(page.Locator("#d-desc")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#d-title")).ToHaveAttributeAsync("aria-invalid", "false");
        await Expect(page.Locator("[data-testid=demand-form] .field-error").First).ToBeVisibleAsync();
        // What was typed is kept.
        await Expect(page.Locator("#d-title")).ToHaveValueAsync("燃气户与供热户的对应关系");

        await page.FillAsync("#d-desc", "按地址关联燃气户号与供热户号，用于联合巡检。");
        await page.FillAsync("#d-fields", "燃气户号，供热户号");
        await page.FillAsync("#d-purpose", "燃气供热联合安全巡检");
        await page.FillAsync("#d-legal", "《城镇燃气管理条例》第四十一条");
        await page.ClickAsync("[data-testid=demand-form] button[type=submit]");
        await Expect(page).ToHaveURLAsync(new Regex("/demands#demand-\\d+$"));
        var row = page.Locator("[data-testid=demands] tr", new PageLocatorOptions { HasText = "燃气户与供热户的对应关系" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("燃气");
        await PortalFixture.ShotAsync(page, "14-demands");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_audit_log_page_reports_the_chain_intact_then_the_row_changed_behind_its_back()
    {
        var page = await fixture.SignInAsync("bureau.admin");
        await page.GotoAsync("/audit?action=user.signed_in");
        await Expect(page.Locator("[data-testid=chain]")).ToContainTextAsync("完整");
        await Expect(page.Locator("[data-testid=audit-rows] tbody tr").First).ToContainTextAsync("user.signed_in");
        await PortalFixture.ShotAsync(page, "15-audit");

        // Change one entry's detail outside DataHub (the maintenance switch lifts the append-only guard), then put it back.
        string original;
        long seq;
        await using (var read = fixture.Platform.DataSource.CreateCommand("SELECT seq, detail::text FROM datahub.audit_log ORDER BY seq LIMIT 1 OFFSET 1"))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            seq = reader.GetInt64(0);
            original = reader.GetString(1);
        }

        await SetDetailAsync(seq, """{"rows": 999}""");
        try
        {
            await page.ReloadAsync();
            await Expect(page.Locator("[data-testid=chain]")).ToContainTextAsync("已损坏");
            await Expect(page.Locator("[data-testid=chain]")).ToContainTextAsync($"seq {seq}:");
        }
        finally
        {
            await SetDetailAsync(seq, original);
        }

        await page.ReloadAsync();
        await Expect(page.Locator("[data-testid=chain]")).ToContainTextAsync("完整");

        // Other departments' staff do not read the log.
        var approver = await fixture.SignInAsync("police.approver");
        Assert.Equal(403, (await approver.GotoAsync("/audit"))!.Status);
        await approver.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    private async Task SetDetailAsync(long seq, string detail)
    {
        await using var connection = await fixture.Platform.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var on = new Npgsql.NpgsqlCommand("SET LOCAL datahub.audit_maintenance = on", connection, transaction))
        {
            await on.ExecuteNonQueryAsync();
        }

        await using (var update = new Npgsql.NpgsqlCommand("UPDATE datahub.audit_log SET detail = @detail::jsonb WHERE seq = @seq", connection, transaction))
        {
            update.Parameters.AddWithValue("detail", detail);
            update.Parameters.AddWithValue("seq", seq);
            await update.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}
