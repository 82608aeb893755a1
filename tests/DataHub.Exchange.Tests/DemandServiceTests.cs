using System.Text.Json;
using DataHub.Catalog.Audit;
using DataHub.Exchange.Demands;
using DataHub.Exchange.Requests;

namespace DataHub.Exchange.Tests;

public sealed class DemandServiceTests(ExchangePostgresFixture fixture) : IClassFixture<ExchangePostgresFixture>
{
    private static readonly DateOnly Friday = new(2026, 11, 20);

    private static readonly ExchangeActor CivilRequester = new("civil", "civil.li", new HashSet<string> { "requester" });
    private static readonly ExchangeActor CivilAnalyst = new("civil", "civil.fu", new HashSet<string> { "analyst" });
    private static readonly ExchangeActor HealthRequester = new("health", "health.xu", new HashSet<string> { "requester" });
    private static readonly ExchangeActor GasApprover = new("gas", "gas.wang", new HashSet<string> { "approver" });
    private static readonly ExchangeActor GasRequester = new("gas", "gas.liu", new HashSet<string> { "requester" });
    private static readonly ExchangeActor WaterApprover = new("water", "water.ma", new HashSet<string> { "approver" });
    private static readonly ExchangeActor LandApprover = new("land", "land.zhao", new HashSet<string> { "approver" });
    private static readonly ExchangeActor BureauAdmin = new("bureau", "bureau.chen", new HashSet<string> { "bureau_admin" });

    private readonly DemandService _service = new(fixture.DataSource, new FixedTime(Friday));

    private static DemandDraft Draft(string title = "低保家庭月用水量", params string[] fields) => new(
        title,
        "核查低保家庭的实际居住情况，需要按户的月用水量。",
        fields.Length == 0 ? ["户号", "月用水量", "低保证号"] : fields,
        "低保动态管理：识别长期无人居住的保障户",
        "《社会救助暂行办法》第十二条");

    [Fact]
    public async Task A_demand_goes_from_posted_to_fulfilled_by_a_dataset_catalogued_for_it_and_its_history_is_tied_to_the_audit_log()
    {
        var posted = await _service.PostAsync(CivilRequester, Draft(), default);
        Assert.Equal((DemandStatus.Open, "civil", "civil.li", (string?)null), (posted.Status, posted.RequestingDepartment, posted.RequestingUser, posted.AssignedProvider));
        Assert.Equal(["户号", "月用水量", "低保证号"], posted.WantedFields);

        var assigned = await _service.AssignAsync(BureauAdmin, posted.Id, "water", new DateOnly(2026, 12, 31), "请水务集团评估", default);
        Assert.Equal((DemandStatus.Assigned, "water", "bureau.chen", (DateOnly?)new DateOnly(2026, 12, 31)),
            (assigned.Status, assigned.AssignedProvider, assigned.AssignedBy, assigned.DueDate));
        Assert.Equal(DemandStatus.InProgress, (await _service.StartAsync(WaterApprover, posted.Id, null, default)).Status);

        // The data is not catalogued yet: fulfilling with it is refused, and the refusal is audited.
        var early = await Assert.ThrowsAsync<ExchangeRefusedException>(() =>
            _service.FulfilAsync(WaterApprover, posted.Id, "water.low_income_usage", null, default));
        Assert.Equal(ExchangeRefusal.Invalid, early.Kind);
        Assert.Equal(["dataset: 'water.low_income_usage' is not catalogued"], early.Problems);
        Assert.Equal("denied", (await LatestAuditAsync("demand.fulfilled", posted.Id)).Outcome);
        Assert.Equal(DemandStatus.InProgress, (await _service.GetAsync(CivilRequester, posted.Id, default)).Demand.Status);

        await fixture.CatalogueAsync("water.low_income_usage", "water", "低保家庭月用水量");
        var fulfilled = await _service.FulfilAsync(WaterApprover, posted.Id, "water.low_income_usage", "已编目，可按共享申请获取", default);
        Assert.Equal((DemandStatus.Fulfilled, "water.low_income_usage", "已编目，可按共享申请获取"),
            (fulfilled.Status, fulfilled.FulfilledDataset, fulfilled.StatusReason));

        var late = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.WithdrawAsync(CivilRequester, posted.Id, null, default));
        Assert.Equal(ExchangeRefusal.Conflict, late.Kind);
        Assert.Equal($"demand {posted.Id} is fulfilled; too late to withdraw", late.Problems.Single());

        var detail = await _service.GetAsync(CivilRequester, posted.Id, default);
        Assert.Equal(fulfilled with { WantedFields = detail.Demand.WantedFields }, detail.Demand);
        Assert.Equal(fulfilled.WantedFields, detail.Demand.WantedFields);
        Assert.Equal(
            [
                ("posted", null, "open", "civil.li"),
                ("assigned", "open", "assigned", "bureau.chen"),
                ("started", "assigned", "in_progress", "water.ma"),
                ("fulfilled", "in_progress", "fulfilled", "water.ma"),
            ],
            detail.History.Select(e => (e.Action, e.FromStatus, e.ToStatus, e.Actor)));
        Assert.Equal(("water", (DateOnly?)new DateOnly(2026, 12, 31), "请水务集团评估"), (detail.History[1].Provider, detail.History[1].DueDate, detail.History[1].Note));
        Assert.Equal("water.low_income_usage", detail.History[3].Dataset);
        foreach (var change in detail.History)
        {
            var audit = await AuditAtAsync(change.AuditSeq);
            Assert.Equal(("demand." + change.Action, $"demand:{posted.Id}", "ok", change.Actor), (audit.Action, audit.Target, audit.Outcome, audit.Actor));
        }

        Assert.Null((await new AuditLog(fixture.DataSource).VerifyAsync(default)).FirstBroken);
    }

    [Fact]
    public async Task Posting_needs_the_requester_role_and_every_invalid_field_is_named()
    {
        var before = await CountDemandsAsync();
        var forbidden = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.PostAsync(GasApprover, Draft(), default));
        Assert.Equal(ExchangeRefusal.Forbidden, forbidden.Kind);
        Assert.Equal(["gas.wang does not hold the requester role"], forbidden.Problems);
        var audit = await LatestAuditAsync("demand.posted", null);
        Assert.Equal(("denied", "gas.wang", "gas"), (audit.Outcome, audit.Actor, audit.Department));

        var invalid = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.PostAsync(CivilRequester,
            new DemandDraft("  ", "", ["户号", " ", "户号"], "低保动态管理", ""), default));
        Assert.Equal(ExchangeRefusal.Invalid, invalid.Kind);
        Assert.Equal(
            [
                "title: give the need a title",
                "description: describe the data needed",
                "legalBasis: state the legal basis",
                "wantedFields[1]: a field name is blank",
                "wantedFields[2]: '户号' is named more than once",
            ],
            invalid.Problems);
        audit = await LatestAuditAsync("demand.posted", null);
        Assert.Equal(("denied", "civil.li"), (audit.Outcome, audit.Actor));
        Assert.Equal(invalid.Problems, audit.Detail.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!));
        Assert.Equal("invalid", audit.Detail.GetProperty("refusal").GetString());

        var none = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.PostAsync(CivilRequester,
            Draft() with { WantedFields = [], Title = new string('题', 201) }, default));
        Assert.Equal(["title: at most 200 characters", "wantedFields: name at least one field wanted"], none.Problems);
        Assert.Equal(before, await CountDemandsAsync());

        // Surrounding blanks are trimmed before storing.
        var trimmed = await _service.PostAsync(CivilRequester, Draft("  独居老人名单 ", " 姓名 ", "住址"), default);
        Assert.Equal("独居老人名单", trimmed.Title);
        Assert.Equal(["姓名", "住址"], trimmed.WantedFields);
        Assert.Equal(before + 1, await CountDemandsAsync());
    }

    [Fact]
    public async Task Only_the_bureau_assigns_to_a_known_department_other_than_the_requester_and_not_into_the_past()
    {
        var demand = await _service.PostAsync(CivilRequester, Draft("燃气欠费户名单"), default);
        var forbidden = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.AssignAsync(GasApprover, demand.Id, "gas", null, null, default));
        Assert.Equal((ExchangeRefusal.Forbidden, "only a bureau_admin assigns demands"), (forbidden.Kind, forbidden.Problems.Single()));
        Assert.Equal(("denied", "gas.wang"), ((await LatestAuditAsync("demand.assigned", demand.Id)).Outcome, (await LatestAuditAsync("demand.assigned", demand.Id)).Actor));

        await AssertRefusedAsync(ExchangeRefusal.Invalid, "provider: civil posted the demand and cannot be assigned to provide it",
            () => _service.AssignAsync(BureauAdmin, demand.Id, "civil", null, null, default));
        await AssertRefusedAsync(ExchangeRefusal.Invalid, "provider: 'nowhere' is not a known department",
            () => _service.AssignAsync(BureauAdmin, demand.Id, "nowhere", null, null, default));
        await AssertRefusedAsync(ExchangeRefusal.Invalid, "dueDate: 2026-11-19 is in the past (today is 2026-11-20)",
            () => _service.AssignAsync(BureauAdmin, demand.Id, "gas", new DateOnly(2026, 11, 19), null, default));
        Assert.Equal(DemandStatus.Open, (await _service.GetAsync(BureauAdmin, demand.Id, default)).Demand.Status);

        Assert.Equal("gas", (await _service.AssignAsync(BureauAdmin, demand.Id, "gas", Friday, null, default)).AssignedProvider);
        var reassigned = await _service.AssignAsync(BureauAdmin, demand.Id, "water", null, "欠费数据在水务集团", default);
        Assert.Equal((DemandStatus.Assigned, "water", (DateOnly?)null), (reassigned.Status, reassigned.AssignedProvider, reassigned.DueDate));
        var assignAudit = await LatestAuditAsync("demand.assigned", demand.Id);
        Assert.Equal(("ok", "water", "gas"), (assignAudit.Outcome, assignAudit.Detail.GetProperty("provider").GetString(), assignAudit.Detail.GetProperty("previous_provider").GetString()));

        // The former provider has lost the demand: it can neither act on it nor see it.
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, "only an approver of the assigned provider water or a bureau_admin may do this",
            () => _service.StartAsync(GasApprover, demand.Id, null, default));
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, $"demand {demand.Id} is neither posted by nor assigned to gas",
            () => _service.GetAsync(GasApprover, demand.Id, default));

        await _service.StartAsync(WaterApprover, demand.Id, null, default);
        await AssertRefusedAsync(ExchangeRefusal.Conflict, $"demand {demand.Id} is in_progress; only an open or assigned demand can be (re)assigned",
            () => _service.AssignAsync(BureauAdmin, demand.Id, "gas", null, null, default));

        var history = (await _service.GetAsync(CivilRequester, demand.Id, default)).History;
        Assert.Equal(
            [("posted", null, null), ("assigned", "open", "gas"), ("assigned", "assigned", "water"), ("started", "assigned", null)],
            history.Select(e => (e.Action, e.FromStatus, e.Provider)));
    }

    [Fact]
    public async Task Only_an_approver_of_the_assigned_provider_or_the_bureau_starts_fulfils_and_declines()
    {
        var demand = await _service.PostAsync(CivilRequester, Draft("燃气停用户"), default);
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, $"demand {demand.Id} is not assigned to a provider yet",
            () => _service.StartAsync(GasApprover, demand.Id, null, default));
        await _service.AssignAsync(BureauAdmin, demand.Id, "gas", null, null, default);

        const string NotGas = "only an approver of the assigned provider gas or a bureau_admin may do this";
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, NotGas, () => _service.StartAsync(LandApprover, demand.Id, null, default));
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, NotGas, () => _service.StartAsync(GasRequester, demand.Id, null, default));
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, NotGas, () => _service.FulfilAsync(LandApprover, demand.Id, "gas.monthly_usage", null, default));
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, NotGas, () => _service.DeclineAsync(WaterApprover, demand.Id, "不归我们管", default));
        Assert.Equal(("denied", "water.ma"), ((await LatestAuditAsync("demand.declined", demand.Id)).Outcome, (await LatestAuditAsync("demand.declined", demand.Id)).Actor));

        await AssertRefusedAsync(ExchangeRefusal.Invalid, "dataset: 'water.meter_reading_daily' is provided by water, not by the assigned provider gas",
            () => _service.FulfilAsync(GasApprover, demand.Id, "water.meter_reading_daily", null, default));
        await AssertRefusedAsync(ExchangeRefusal.Invalid, "dataset: name the catalogued dataset that fulfils the demand",
            () => _service.FulfilAsync(GasApprover, demand.Id, " ", null, default));

        Assert.Equal(DemandStatus.InProgress, (await _service.StartAsync(BureauAdmin, demand.Id, "局里督办", default)).Status);
        await AssertRefusedAsync(ExchangeRefusal.Conflict, $"demand {demand.Id} is in_progress; only an assigned demand can be started",
            () => _service.StartAsync(GasApprover, demand.Id, null, default));
        await AssertRefusedAsync(ExchangeRefusal.Invalid, "reason: a decline must give its reasons",
            () => _service.DeclineAsync(GasApprover, demand.Id, "  ", default));

        var declined = await _service.DeclineAsync(GasApprover, demand.Id, "停用状态不在燃气集团系统中记录", default);
        Assert.Equal((DemandStatus.Declined, "停用状态不在燃气集团系统中记录"), (declined.Status, declined.StatusReason));
        var audit = await LatestAuditAsync("demand.declined", demand.Id);
        Assert.Equal(("ok", "停用状态不在燃气集团系统中记录"), (audit.Outcome, audit.Detail.GetProperty("reason").GetString()));

        await AssertRefusedAsync(ExchangeRefusal.Conflict, $"demand {demand.Id} is declined; only an assigned or in-progress demand can be fulfilled",
            () => _service.FulfilAsync(GasApprover, demand.Id, "gas.monthly_usage", null, default));
        await AssertRefusedAsync(ExchangeRefusal.Conflict, $"demand {demand.Id} is declined; it can no longer be declined",
            () => _service.DeclineAsync(BureauAdmin, demand.Id, "再拒", default));
        await AssertRefusedAsync(ExchangeRefusal.Conflict, $"demand {demand.Id} is declined; too late to withdraw",
            () => _service.WithdrawAsync(CivilRequester, demand.Id, null, default));

        // Fulfilling straight from assigned, without starting, with the provider's own dataset.
        var other = await _service.PostAsync(CivilRequester, Draft("燃气月用气量"), default);
        await _service.AssignAsync(BureauAdmin, other.Id, "gas", null, null, default);
        var fulfilled = await _service.FulfilAsync(GasApprover, other.Id, "gas.monthly_usage", null, default);
        Assert.Equal((DemandStatus.Fulfilled, "gas.monthly_usage"), (fulfilled.Status, fulfilled.FulfilledDataset));
    }

    [Fact]
    public async Task Only_the_bureau_declines_a_demand_not_yet_assigned()
    {
        var demand = await _service.PostAsync(CivilRequester, Draft("全市人口热力图"), default);
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, $"demand {demand.Id} is not assigned yet; only a bureau_admin may decline it",
            () => _service.DeclineAsync(GasApprover, demand.Id, "不是我们的", default));
        var declined = await _service.DeclineAsync(BureauAdmin, demand.Id, "已有 transit.card_tap 可申请", default);
        Assert.Equal((DemandStatus.Declined, (string?)null, "已有 transit.card_tap 可申请"), (declined.Status, declined.AssignedProvider, declined.StatusReason));
    }

    [Fact]
    public async Task Withdrawal_is_for_a_requester_of_the_requesting_department_until_the_demand_is_closed()
    {
        var demand = await _service.PostAsync(CivilRequester, Draft("殡葬火化记录"), default);
        const string NotCivil = "only a requester of the requesting department civil may withdraw";
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, NotCivil, () => _service.WithdrawAsync(CivilAnalyst, demand.Id, null, default));
        await AssertRefusedAsync(ExchangeRefusal.Forbidden, NotCivil, () => _service.WithdrawAsync(GasRequester, demand.Id, null, default));
        await _service.AssignAsync(BureauAdmin, demand.Id, "health", null, null, default);
        await _service.StartAsync(BureauAdmin, demand.Id, null, default);

        var withdrawn = await _service.WithdrawAsync(CivilRequester, demand.Id, "改由民政系统内部采集", default);
        Assert.Equal((DemandStatus.Withdrawn, "改由民政系统内部采集", "health"), (withdrawn.Status, withdrawn.StatusReason, withdrawn.AssignedProvider));
        Assert.Equal("ok", (await LatestAuditAsync("demand.withdrawn", demand.Id)).Outcome);
        await AssertRefusedAsync(ExchangeRefusal.Conflict, $"demand {demand.Id} is withdrawn; too late to withdraw",
            () => _service.WithdrawAsync(CivilRequester, demand.Id, null, default));
        await AssertRefusedAsync(ExchangeRefusal.Conflict, $"demand {demand.Id} is withdrawn; only an assigned or in-progress demand can be fulfilled",
            () => _service.FulfilAsync(BureauAdmin, demand.Id, "health.medical_record", null, default));
    }

    [Fact]
    public async Task An_unknown_demand_is_refused_as_not_found_and_audited()
    {
        const long Missing = 9_999_999;
        await AssertRefusedAsync(ExchangeRefusal.NotFound, $"demand {Missing} does not exist", () => _service.StartAsync(GasApprover, Missing, null, default));
        await AssertRefusedAsync(ExchangeRefusal.NotFound, $"demand {Missing} does not exist", () => _service.AssignAsync(BureauAdmin, Missing, "gas", null, null, default));
        await AssertRefusedAsync(ExchangeRefusal.NotFound, $"demand {Missing} does not exist", () => _service.GetAsync(BureauAdmin, Missing, default));
        Assert.Equal(("denied", "gas.wang"), ((await LatestAuditAsync("demand.started", Missing)).Outcome, (await LatestAuditAsync("demand.started", Missing)).Actor));
        Assert.Equal("denied", (await LatestAuditAsync("demand.viewed", Missing)).Outcome);
        Assert.Equal("notfound", (await LatestAuditAsync("demand.assigned", Missing)).Detail.GetProperty("refusal").GetString());
    }

    [Fact]
    public async Task A_department_sees_what_it_posted_and_what_is_assigned_to_it_and_the_bureau_sees_all()
    {
        var civils = await _service.PostAsync(CivilRequester, Draft("残疾人补贴发放"), default);
        var healths = await _service.PostAsync(HealthRequester, Draft("疫苗接种点位"), default);
        await _service.AssignAsync(BureauAdmin, civils.Id, "gas", null, null, default);

        async Task<long[]> IdsAsync(ExchangeActor actor, DemandFilter? filter = null) =>
            [.. (await _service.ListAsync(actor, filter ?? new DemandFilter(), default)).Select(d => d.Id).Where(id => id == civils.Id || id == healths.Id)];

        Assert.Equal([civils.Id], await IdsAsync(CivilRequester));
        Assert.Equal([civils.Id], await IdsAsync(GasApprover));
        Assert.Equal([healths.Id], await IdsAsync(HealthRequester));
        Assert.Empty(await IdsAsync(LandApprover));
        Assert.Equal([healths.Id, civils.Id], await IdsAsync(BureauAdmin));
        Assert.Equal([civils.Id], await IdsAsync(BureauAdmin, new DemandFilter(Status: DemandStatus.Assigned)));
        Assert.Equal([healths.Id], await IdsAsync(BureauAdmin, new DemandFilter(Status: DemandStatus.Open, Department: "health")));
        Assert.Equal([civils.Id], await IdsAsync(BureauAdmin, new DemandFilter(Department: "gas")));
        Assert.Empty(await IdsAsync(HealthRequester, new DemandFilter(Department: "gas")));
        Assert.All(await _service.ListAsync(GasApprover, new DemandFilter(), default),
            d => Assert.True(d.RequestingDepartment == "gas" || d.AssignedProvider == "gas"));
        Assert.Single(await _service.ListAsync(BureauAdmin, new DemandFilter(Limit: 1), default));

        await AssertRefusedAsync(ExchangeRefusal.Forbidden, $"demand {healths.Id} is neither posted by nor assigned to civil",
            () => _service.GetAsync(CivilRequester, healths.Id, default));
        Assert.Equal(("denied", "civil.li"), ((await LatestAuditAsync("demand.viewed", healths.Id)).Outcome, (await LatestAuditAsync("demand.viewed", healths.Id)).Actor));
        Assert.Equal(civils.Id, (await _service.GetAsync(GasApprover, civils.Id, default)).Demand.Id);

        var invalid = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.ListAsync(CivilRequester, new DemandFilter("closed", null, 0), default));
        Assert.Equal(
            ["status: 'closed' is not one of open, assigned, in_progress, fulfilled, declined, withdrawn", "limit: 0 is not between 1 and 1000"],
            invalid.Problems);
        Assert.Equal("denied", (await LatestAuditAsync("demand.listed", null)).Outcome);
    }

    [Fact]
    public async Task A_demand_is_overdue_once_its_due_date_has_passed_until_it_is_closed()
    {
        var demand = await _service.PostAsync(CivilRequester, Draft("热力停供户"), default);
        var assigned = await _service.AssignAsync(BureauAdmin, demand.Id, "heat", new DateOnly(2026, 11, 25), null, default);
        Assert.False(assigned.Overdue);

        var onTheDay = new DemandService(fixture.DataSource, new FixedTime(new DateOnly(2026, 11, 25)));
        Assert.False((await onTheDay.GetAsync(CivilRequester, demand.Id, default)).Demand.Overdue);
        var later = new DemandService(fixture.DataSource, new FixedTime(new DateOnly(2026, 11, 26)));
        Assert.True((await later.GetAsync(CivilRequester, demand.Id, default)).Demand.Overdue);
        Assert.Contains(await later.ListAsync(BureauAdmin, new DemandFilter(Department: "heat"), default), d => d.Id == demand.Id && d.Overdue);

        var fulfilled = await later.FulfilAsync(BureauAdmin, demand.Id, "heat.household_heating", null, default);
        Assert.False(fulfilled.Overdue);
    }

    [Fact]
    public async Task Concurrent_fulfilment_and_withdrawal_leave_exactly_one_winner()
    {
        for (var round = 0; round < 5; round++)
        {
            var demand = await _service.PostAsync(CivilRequester, Draft($"并发 {round}"), default);
            await _service.AssignAsync(BureauAdmin, demand.Id, "water", null, null, default);
            var fulfil = Task.Run(() => _service.FulfilAsync(WaterApprover, demand.Id, "water.meter_reading_daily", null, default));
            var withdraw = Task.Run(() => _service.WithdrawAsync(CivilRequester, demand.Id, null, default));
            try
            {
                await Task.WhenAll(fulfil, withdraw);
            }
            catch (ExchangeRefusedException)
            {
                // One of them lost; checked below.
            }

            var both = new[] { fulfil, withdraw };
            var winner = Assert.Single(both, t => t.IsCompletedSuccessfully);
            var loser = Assert.Single(both, t => t.IsFaulted);
            Assert.Equal(ExchangeRefusal.Conflict, Assert.IsType<ExchangeRefusedException>(loser.Exception!.InnerException).Kind);
            var detail = await _service.GetAsync(BureauAdmin, demand.Id, default);
            Assert.Equal((await winner).Status, detail.Demand.Status);
            Assert.Equal(["posted", "assigned", winner == fulfil ? "fulfilled" : "withdrawn"], detail.History.Select(e => e.Action));
        }
    }

    private static async Task AssertRefusedAsync<T>(ExchangeRefusal kind, string problem, Func<Task<T>> action)
    {
        var error = await Assert.ThrowsAsync<ExchangeRefusedException>(action);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(problem, Assert.Single(error.Problems));
    }

    private async Task<long> CountDemandsAsync()
    {
        await using var command = fixture.DataSource.CreateCommand("SELECT count(*) FROM datahub.exchange_demand");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed record AuditRow(string Actor, string? Department, string Action, string? Target, string Outcome, JsonElement Detail);

    /// <summary>The latest audit row of an action on a demand (or with no target when <paramref name="id"/> is null).</summary>
    private async Task<AuditRow> LatestAuditAsync(string action, long? id)
    {
        await using var command = fixture.DataSource.CreateCommand("""
            SELECT actor, department, action, target, outcome, detail::text FROM datahub.audit_log
            WHERE action = @action AND target IS NOT DISTINCT FROM @target ORDER BY seq DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string?>("target", id is { } d ? $"demand:{d}" : null));
        return await ReadAuditAsync(command);
    }

    private async Task<AuditRow> AuditAtAsync(long seq)
    {
        await using var command = fixture.DataSource.CreateCommand(
            "SELECT actor, department, action, target, outcome, detail::text FROM datahub.audit_log WHERE seq = @seq");
        command.Parameters.AddWithValue("seq", seq);
        return await ReadAuditAsync(command);
    }

    private static async Task<AuditRow> ReadAuditAsync(Npgsql.NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no such audit row");
        using var detail = JsonDocument.Parse(reader.GetString(5));
        return new AuditRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), detail.RootElement.Clone());
    }

    /// <summary>A clock standing at noon UTC of one day.</summary>
    private sealed class FixedTime(DateOnly day) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
