using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataHub.Portal.Tests;

/// <summary>Signing in and out, finding data, the architecture, a dataset's page with its lineage, quality and the bulletin.</summary>
[Collection(PortalGroup.Name)]
public sealed class BrowsingTests(PortalFixture fixture)
{
    [Fact]
    public async Task Pages_need_a_sign_in_and_a_wrong_password_is_refused_and_audited()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/datasets/population.household_registration");
        Assert.EndsWith("/login?returnUrl=%2Fdatasets%2Fpopulation.household_registration", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#name", "gas.analyst");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("button[type=submit].primary");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("用户名或密码不正确。");
        await PortalFixture.ShotAsync(page, "00-login");

        // The right password returns to the page asked for, in a cookie the page's scripts cannot read.
        await page.FillAsync("#password", fixture.Password);
        await page.ClickAsync("button[type=submit].primary");
        await page.WaitForURLAsync("**/datasets/population.household_registration");
        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "datahub_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal(string.Empty, await page.EvaluateAsync<string>("() => document.cookie.includes('datahub_session') ? 'readable' : ''"));

        // The cookie is no key for the API: only a bearer header is.
        var api = await page.Context.APIRequest.GetAsync("/api/v1/exchange/me");
        Assert.Equal(401, api.Status);

        // Signing out revokes the session key: the same cookie, replayed, no longer opens a page.
        await page.ClickAsync("header form button");
        await page.WaitForURLAsync("**/login");
        var replay = await fixture.NewPageAsync();
        await replay.Context.AddCookiesAsync([new Cookie { Name = session.Name, Value = session.Value, Domain = session.Domain, Path = "/" }]);
        await replay.GotoAsync("/");
        Assert.Contains("/login", replay.Url, StringComparison.Ordinal);

        var entries = await AuditActionsAsync();
        Assert.Contains(("user.signed_in", "denied"), entries);
        Assert.Contains(("user.signed_in", "ok"), entries);
        Assert.Contains(("key.revoked", "ok"), entries);
        await page.Context.CloseAsync();
        await replay.Context.CloseAsync();
    }

    [Fact]
    public async Task Search_as_you_type_finds_the_household_registration_and_its_page_shows_schema_lineage_and_quality()
    {
        var page = await fixture.SignInAsync("gas.analyst");
        await Expect(page.Locator("[data-testid=count-datasets]")).Not.ToHaveTextAsync("0");
        await PortalFixture.ShotAsync(page, "01-home");
        await page.GotoAsync("/search");
        // Typing updates the results without a submit, and the address keeps the query.
        await page.Locator("#q").PressSequentiallyAsync("户籍");
        var hit = page.Locator("[data-testid=search-results] a[href='/datasets/population.household_registration']");
        await Expect(hit).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=%E6%88%B7%E7%B1%8D|q=户籍"));
        await PortalFixture.ShotAsync(page, "02-search");

        // A filter narrows the same query: water's datasets are not the police's.
        await page.SelectOptionAsync("select[name=dept]", "water");
        await Expect(hit).ToHaveCountAsync(0);
        await page.SelectOptionAsync("select[name=dept]", "police");
        await Expect(hit).ToBeVisibleAsync();

        await hit.ClickAsync();
        await Expect(page.Locator("[data-testid=dataset-title]")).ToContainTextAsync("户籍人口登记信息");
        await Expect(page.Locator("[data-testid=schema]")).ToContainTextAsync("L5");
        await Expect(page.Locator("[data-testid=schema]")).ToContainTextAsync("公民身份号码");
        await Expect(page.Locator("[data-testid=rules] tbody tr").First).ToBeVisibleAsync();
        // The lineage graph is drawn by cytoscape from the ingestion's column lineage (the sample file's fields).
        await page.WaitForFunctionAsync("() => document.querySelector('[data-lineage]').cy && document.querySelector('[data-lineage]').cy.nodes().length > 2");
        var columns = await page.EvaluateAsync<int>("() => document.querySelector('[data-lineage]').cy.nodes('[kind = \"column\"]').length");
        Assert.True(columns >= 9, $"{columns} column nodes");
        await Expect(page.Locator("[data-testid=lineage-edges]")).ToContainTextAsync("file:");
        await page.Locator("#lineage").ScrollIntoViewIfNeededAsync();
        await PortalFixture.ShotAsync(page, "03-dataset");

        // Upstream only, one hop: the page says more lies beyond and offers another hop.
        await page.GotoAsync("/datasets/population.household_registration?direction=up&hops=1#lineage");
        await Expect(page.Locator("select[name=direction]")).ToHaveValueAsync("up");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_tree_shows_coverage_and_the_quality_page_opens_the_bulletin()
    {
        var page = await fixture.SignInAsync("bureau.admin");
        await page.GotoAsync("/tree");
        await Expect(page.Locator("[data-testid=tree] tbody tr").First).ToBeVisibleAsync();
        await page.GotoAsync("/tree?node=L4.population.registered.registration");
        await Expect(page.Locator(".card")).ToContainTextAsync("户籍登记");
        // Every attribute under this entity is mapped by the household registration, which holds data.
        await Expect(page.Locator(".card .bar")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex(@"^[1-9]\d*/\d+ "));
        await PortalFixture.ShotAsync(page, "08-tree");

        await page.GotoAsync("/quality");
        await Expect(page.Locator("[data-testid=ranking] tbody tr").First).ToBeVisibleAsync();
        await PortalFixture.ShotAsync(page, "09-quality");
        // Drill down from the ranking to a dataset's failing rules: the water readings' blank reading breaks a rule,
        // and the samples shown are masked (no account number appears whole).
        await page.Locator("a[href='/datasets/water.meter_reading_daily#quality']").ClickAsync();
        var failing = page.Locator("[data-testid=rules] tr.failing");
        await Expect(failing.First).ToBeVisibleAsync();
        var samples = string.Join("\n", await failing.Locator("td.small").AllInnerTextsAsync());
        Assert.False(string.IsNullOrWhiteSpace(samples), "the failing rules show no samples");
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"WS\d{9}"), samples);
        await page.GotoAsync("/quality");
        await page.Locator("[data-testid=bulletins] a").First.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("质量");
        await page.WaitForFunctionAsync("() => document.querySelector('svg') !== null");
        await PortalFixture.ShotAsync(page, "10-bulletin");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task English_toggle_phone_width_keyboard_and_roles_limit_what_is_shown()
    {
        var page = await fixture.SignInAsync("gas.analyst", 390, 844);
        await page.ClickAsync("a.lang");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("header nav")).ToContainTextAsync("Search");
        await page.GotoAsync("/datasets/water.meter_reading_daily");
        await Expect(page.Locator("#schema h2")).ToHaveTextAsync("Schema and L5 mapping");
        // Nothing is wider than the phone's screen.
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{overflow}px wider than the screen");
        await PortalFixture.ShotAsync(page, "11-dataset-phone-en");

        // The first Tab reaches the skip link, which moves focus to the content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await page.EvaluateAsync<string>("() => document.activeElement.className"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // A requester has no approver inbox nor audit log: the links are not shown and the pages answer 403.
        await Expect(page.Locator("header nav a[href='/inbox']")).ToHaveCountAsync(0);
        var inbox = await page.GotoAsync("/inbox");
        Assert.Equal(403, inbox!.Status);
        Assert.Contains("default-src 'self'", inbox.Headers["content-security-policy"], StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    private async Task<List<(string Action, string Outcome)>> AuditActionsAsync()
    {
        await using var command = fixture.Platform.DataSource.CreateCommand("SELECT action, outcome FROM datahub.audit_log ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
