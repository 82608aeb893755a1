using System.Text.RegularExpressions;
using DataHub.DuckDb;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataHub.Portal.Tests;

/// <summary>
/// The sharing flow end to end in Chromium: gas requests the police's household registrations, the police approve,
/// the data bureau gives the second approval (sensitivity level 3 and above), gas queries the grant and sees masked
/// names, the bureau revokes the grant, and the next query is refused.
/// </summary>
[Collection(PortalGroup.Name)]
public sealed partial class RequestFlowTests(PortalFixture fixture)
{
    private const string Dataset = "population.household_registration";

    [Fact]
    public async Task Request_approve_twice_query_masked_then_revoke_refuses()
    {
        // Gas files the request from the dataset page.
        var gas = await fixture.SignInAsync("gas.analyst");
        await gas.GotoAsync("/datasets/" + Dataset);
        await gas.ClickAsync("[data-testid=request-access]");
        await Expect(gas.Locator("[data-testid=share-rule]")).ToContainTextAsync("有条件共享");
        await Expect(gas.Locator("input[name=Columns][value=citizen_id]")).ToBeDisabledAsync();
        await gas.FillAsync("#purpose", "燃气安全入户核查：核对用户户籍信息");
        await gas.FillAsync("#legal", "《合肥市公共数据管理办法》第二十条");
        await gas.SelectOptionAsync("select[name='Filters[0].Field']", "registered_division");
        await gas.SelectOptionAsync("select[name='Filters[0].Operator']", "in");
        await gas.FillAsync("input[name='Filters[0].Values']", "340102, 340103, 340104, 340111");
        await PortalFixture.ShotAsync(gas, "04-request-form");
        await gas.ClickAsync("[data-testid=request-form] button[type=submit]");
        await Expect(gas.Locator("[data-testid=request-status]")).ToHaveTextAsync("已提交");
        var requestId = RequestNumber().Match(gas.Url).Groups[1].Value;

        // The police approver finds it in the inbox, sees the SLA countdown and approves.
        var police = await fixture.SignInAsync("police.approver");
        await Expect(police.Locator("[data-testid=waiting]")).ToContainTextAsync("#" + requestId);
        await police.GotoAsync("/inbox");
        await Expect(police.Locator("[data-testid=requests]")).ToContainTextAsync("剩余工作日");
        await PortalFixture.ShotAsync(police, "05-approver-inbox");
        await police.ClickAsync($"a[href='/requests/{requestId}']");
        await police.FillAsync("#reason", "用途明确，范围限于四区");
        await police.ClickAsync("[data-testid=decision-form] button[value=approve]");
        await Expect(police.Locator("[data-testid=request-status]")).ToHaveTextAsync("提供方已同意");

        // Gas cannot decide (not an approver of the provider), and sees the request still waiting for the bureau.
        await gas.ReloadAsync();
        await Expect(gas.Locator("[data-testid=decision-form]")).ToHaveCountAsync(0);
        await Expect(gas.Locator("[data-testid=request-status]")).ToHaveTextAsync("提供方已同意");

        // The bureau gives the second approval.
        var bureau = await fixture.SignInAsync("bureau.admin");
        await bureau.GotoAsync($"/requests/{requestId}");
        await bureau.FillAsync("#reason", "二级审批：同意，限期使用");
        await bureau.ClickAsync("[data-testid=decision-form] button[value=approve]");
        await Expect(bureau.Locator("[data-testid=request-status]")).ToHaveTextAsync("已授权");

        // Gas queries the grant: names arrive masked (first character kept), districts within the filter only.
        await gas.ReloadAsync();
        await gas.ClickAsync("[data-testid=grant-link]");
        var grantId = GrantNumber().Match(gas.Url).Groups[1].Value;
        await gas.ClickAsync("[data-testid=query-form] button[type=submit]");
        var rows = gas.Locator("[data-testid=grant-rows] tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        await PortalFixture.ShotAsync(gas, "06-grant-query-masked");
        var headers = await gas.Locator("[data-testid=grant-rows] thead th").AllInnerTextsAsync();
        var nameColumn = headers.ToList().FindIndex(h => h.StartsWith("name", StringComparison.Ordinal));
        var divisionColumn = headers.ToList().FindIndex(h => h.StartsWith("registered_division", StringComparison.Ordinal));
        Assert.True(nameColumn >= 0 && divisionColumn >= 0, string.Join(" | ", headers));
        var shownNames = await gas.Locator($"[data-testid=grant-rows] tbody tr td:nth-child({nameColumn + 1})").AllInnerTextsAsync();
        var shownDivisions = await gas.Locator($"[data-testid=grant-rows] tbody tr td:nth-child({divisionColumn + 1})").AllInnerTextsAsync();
        var realNames = await LakeNamesAsync();
        Assert.NotEmpty(shownNames);
        Assert.All(shownNames, n =>
        {
            Assert.Contains('*', n);
            Assert.DoesNotContain(n, realNames);
            Assert.Contains(realNames, r => r.Length > 0 && r[0] == n[0]);
        });
        Assert.All(shownDivisions, d => Assert.Contains(d.Trim(), new[] { "340102", "340103", "340104", "340111" }));

        // The bureau revokes the grant; gas's next query is refused and says why.
        await bureau.GotoAsync("/grants");
        await bureau.FillAsync($"#reason-{grantId}", "核查结束，收回授权");
        await bureau.ClickAsync($"[data-testid=revoke-{grantId}] button.danger");
        await Expect(bureau.Locator("[data-testid=grant-state]")).ToHaveTextAsync("已撤销");
        var refused = await gas.GotoAsync($"/grants/{grantId}?run=1");
        Assert.Equal(409, refused!.Status);
        await Expect(gas.Locator("[data-testid=query-refused]")).ToContainTextAsync("revoked");
        await Expect(gas.Locator("[data-testid=grant-rows]")).ToHaveCountAsync(0);
        await PortalFixture.ShotAsync(gas, "07-grant-revoked-refused");
        foreach (var page in new[] { gas, police, bureau })
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Invalid_request_shows_each_problem_next_to_its_field_and_files_nothing()
    {
        var gas = await fixture.SignInAsync("gas.analyst");
        var before = (await fixture.Platform.Exchange.Requests.ListRequestsAsync(new("gas", "gas.analyst", new HashSet<string> { "requester" }), null, CancellationToken.None)).Count;
        await gas.GotoAsync("/requests/new?dataset=water.meter_reading_daily");
        await gas.SelectOptionAsync("select[name='Filters[0].Field']", "usage_m3");
        await gas.SelectOptionAsync("select[name='Filters[0].Operator']", "gt");
        await gas.FillAsync("input[name='Filters[0].Values']", "很多");
        var response = await gas.RunAndWaitForResponseAsync(() => gas.ClickAsync("[data-testid=request-form] button[type=submit]"), r => r.Request.Method == "POST");
        Assert.Equal(400, response.Status);
        await Expect(gas.Locator("#purpose-error")).ToContainTextAsync("purpose");
        await Expect(gas.Locator("#legal-error")).ToContainTextAsync("legal basis");
        await Expect(gas.Locator(".filter-row").First.Locator(".field-error")).ToContainTextAsync("很多");
        await Expect(gas.Locator("#purpose")).ToHaveAttributeAsync("aria-invalid", "true");
        var after = (await fixture.Platform.Exchange.Requests.ListRequestsAsync(new("gas", "gas.analyst", new HashSet<string> { "requester" }), null, CancellationToken.None)).Count;
        Assert.Equal(before, after);
        await gas.Context.CloseAsync();
    }

    private async Task<HashSet<string>> LakeNamesAsync()
    {
        var scan = await fixture.Platform.Tables.ScanAsync(Dataset);
        using var connection = new DuckDbConnection("Data Source=:memory:portal-test");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT DISTINCT name FROM ({scan.Sql}) WHERE name IS NOT NULL";
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    [GeneratedRegex(@"/requests/(\d+)")]
    private static partial Regex RequestNumber();

    [GeneratedRegex(@"/grants/(\d+)")]
    private static partial Regex GrantNumber();
}
