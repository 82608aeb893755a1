using DataHub.Catalog.Audit;
using DataHub.Exchange.Requests;
using Npgsql;

namespace DataHub.Exchange.Tests;

public sealed class ExchangeServiceTests(ExchangePostgresFixture fixture) : IClassFixture<ExchangePostgresFixture>
{
    private static readonly DateOnly Friday = new(2026, 11, 20);

    private static readonly ExchangeActor CivilRequester = new("civil", "civil.li", new HashSet<string> { "requester" });
    private static readonly ExchangeActor GasApprover = new("gas", "gas.wang", new HashSet<string> { "approver" });
    private static readonly ExchangeActor LandApprover = new("land", "land.zhao", new HashSet<string> { "approver" });
    private static readonly ExchangeActor BureauAdmin = new("bureau", "bureau.chen", new HashSet<string> { "bureau_admin" });

    private readonly ExchangeService _service = new(fixture.DataSource, fixture.Catalog);

    private static ExchangeRequestDraft Draft(string dataset, string[] columns, params RowFilter[] filters) =>
        new(dataset, columns, filters, "城市运行监测", "《某市政务数据共享管理办法》第十条", "api", new DateOnly(2026, 12, 1), new DateOnly(2027, 5, 31));

    [Fact]
    public async Task Unconditional_dataset_is_granted_at_once_with_the_requested_period()
    {
        var result = await _service.FileAsync(CivilRequester, Draft("market.business_registration", ["uscc", "name"]), Friday, default);
        Assert.Equal(ExchangeStatus.Granted, result.Status);
        Assert.NotNull(result.GrantId);
        var grant = await GrantAsync(result.GrantId.Value);
        Assert.Equal(("market.business_registration", "civil", new DateOnly(2026, 12, 1), new DateOnly(2027, 5, 31), false), grant);
        Assert.Equal("ok", await AuditOutcomeAsync("request.filed", $"request:{result.RequestId}"));
    }

    [Fact]
    public async Task Conditional_request_waits_ten_working_days_then_the_provider_approval_grants_it()
    {
        var filed = await _service.FileAsync(CivilRequester, Draft("gas.monthly_usage", ["account_no", "usage_m3"],
            new RowFilter("usage_m3", "lt", ["1.5"])), Friday, default);
        Assert.Equal(ExchangeStatus.Filed, filed.Status);
        Assert.Equal(new DateOnly(2026, 12, 4), filed.DueDate); // two weekends skipped
        Assert.Null(filed.GrantId);

        var decided = await _service.DecideAsync(GasApprover, filed.RequestId, approve: true, "履职需要，同意", default);
        Assert.Equal(ExchangeStatus.Granted, decided.Status);
        Assert.Equal("gas.monthly_usage", (await GrantAsync(decided.GrantId!.Value)).Dataset);
        Assert.Equal("ok", await AuditOutcomeAsync("request.decided", $"request:{filed.RequestId}"));
    }

    [Fact]
    public async Task Rejection_keeps_its_reason_and_creates_no_grant()
    {
        var filed = await _service.FileAsync(CivilRequester, Draft("gas.monthly_usage", ["account_no"]), Friday, default);
        var rejected = await _service.DecideAsync(GasApprover, filed.RequestId, approve: false, "用途超出共享条件", default);
        Assert.Equal(ExchangeStatus.Rejected, rejected.Status);
        Assert.Null(rejected.GrantId);
        Assert.Equal(("rejected", "用途超出共享条件", 1L), await RequestRowAsync(filed.RequestId));
        var again = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.DecideAsync(GasApprover, filed.RequestId, true, "改主意", default));
        Assert.Contains("is rejected", again.Problems.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_shareable_dataset_is_refused_citing_its_legal_basis()
    {
        var result = await _service.FileAsync(CivilRequester, Draft(ExchangePostgresFixture.NotShareableDataset, ["visit_date"]), Friday, default);
        Assert.Equal(ExchangeStatus.Refused, result.Status);
        Assert.Contains(ExchangePostgresFixture.LegalBasis, result.Reason, StringComparison.Ordinal);
        Assert.Null(result.GrantId);
        Assert.Equal("denied", await AuditOutcomeAsync("request.filed", $"request:{result.RequestId}"));
    }

    [Fact]
    public async Task Level_four_columns_are_refused_by_name_and_the_attempt_audited()
    {
        var error = await Assert.ThrowsAsync<ExchangeRefusedException>(() =>
            _service.FileAsync(CivilRequester, Draft("population.household_registration", ["citizen_id", "sex"]), Friday, default));
        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("columns[0]: 'citizen_id' is sensitivity level 4 (L5.population.registered.registration.citizen_id)", problem, StringComparison.Ordinal);
        Assert.Equal("denied", await AuditOutcomeAsync("request.filed", "population.household_registration"));
    }

    [Fact]
    public async Task Nobody_approves_a_request_of_their_own_department_and_the_attempt_is_audited()
    {
        var gasRequester = new ExchangeActor("gas", "gas.liu", new HashSet<string> { "requester" });
        var filed = await _service.FileAsync(gasRequester, Draft("gas.monthly_usage", ["account_no"]), Friday, default);
        var error = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.DecideAsync(GasApprover, filed.RequestId, true, "自己批", default));
        Assert.Contains("own department", error.Problems.Single(), StringComparison.Ordinal);
        Assert.Equal("denied", await AuditOutcomeAsync("request.decided", $"request:{filed.RequestId}"));
        Assert.Equal(("filed", (string?)null, 0L), await RequestRowAsync(filed.RequestId));

        // Nor does an approver of a department that is not the provider.
        var other = await _service.FileAsync(CivilRequester, Draft("gas.monthly_usage", ["account_no"]), Friday, default);
        await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.DecideAsync(LandApprover, other.RequestId, true, "代批", default));
    }

    [Fact]
    public async Task Level_three_dataset_needs_the_bureau_after_the_provider()
    {
        var filed = await _service.FileAsync(CivilRequester, Draft("spatial.standard_address", ["address_code"]), Friday, default);
        var first = await _service.DecideAsync(LandApprover, filed.RequestId, true, "同意", default);
        Assert.Equal(ExchangeStatus.ApprovedByProvider, first.Status);
        Assert.Null(first.GrantId);
        await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.DecideAsync(LandApprover, filed.RequestId, true, "再批一次", default));
        var second = await _service.DecideAsync(BureauAdmin, filed.RequestId, true, "复核同意", default);
        Assert.Equal(ExchangeStatus.Granted, second.Status);
        Assert.NotNull(second.GrantId);
        Assert.Equal(("granted", (string?)null, 2L), await RequestRowAsync(filed.RequestId));
    }

    [Fact]
    public async Task Only_the_requesting_department_withdraws_and_only_before_a_decision()
    {
        var filed = await _service.FileAsync(CivilRequester, Draft("gas.monthly_usage", ["account_no"]), Friday, default);
        await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.WithdrawAsync(GasApprover, filed.RequestId, default));
        Assert.Equal(ExchangeStatus.Withdrawn, (await _service.WithdrawAsync(CivilRequester, filed.RequestId, default)).Status);
        await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.DecideAsync(GasApprover, filed.RequestId, true, "同意", default));

        var decided = await _service.FileAsync(CivilRequester, Draft("gas.monthly_usage", ["account_no"]), Friday, default);
        await _service.DecideAsync(GasApprover, decided.RequestId, true, "同意", default);
        var late = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.WithdrawAsync(CivilRequester, decided.RequestId, default));
        Assert.Contains("too late", late.Problems.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revocation_is_immediate_and_only_for_the_provider_or_the_bureau()
    {
        var filed = await _service.FileAsync(CivilRequester, Draft("gas.monthly_usage", ["account_no"]), Friday, default);
        var grantId = (await _service.DecideAsync(GasApprover, filed.RequestId, true, "同意", default)).GrantId!.Value;
        await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.RevokeGrantAsync(LandApprover, grantId, "越权", default));
        Assert.False((await GrantAsync(grantId)).Revoked);
        Assert.Equal("denied", await AuditOutcomeAsync("grant.revoked", $"grant:{grantId}"));

        await _service.RevokeGrantAsync(GasApprover, grantId, "用途变更", default);
        Assert.True((await GrantAsync(grantId)).Revoked);
        Assert.Equal("ok", await AuditOutcomeAsync("grant.revoked", $"grant:{grantId}"));
        await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.RevokeGrantAsync(BureauAdmin, grantId, "再撤", default));
    }

    [Fact]
    public async Task Overdue_filed_requests_are_escalated_counting_working_days_only()
    {
        var service = new ExchangeService(fixture.DataSource, fixture.Catalog, responseWorkingDays: 5);
        var filed = await service.FileAsync(CivilRequester, Draft("water.meter_reading_daily", ["meter_no"]), Friday, default);
        Assert.Equal(new DateOnly(2026, 11, 27), filed.DueDate); // Friday + 5 working days = next Friday
        Assert.DoesNotContain(filed.RequestId, await service.EscalateOverdueAsync(new DateOnly(2026, 11, 27), default));
        Assert.Contains(filed.RequestId, await service.EscalateOverdueAsync(new DateOnly(2026, 11, 28), default));
        Assert.Equal("escalated", (await RequestRowAsync(filed.RequestId)).Status);
        Assert.Equal("ok", await AuditOutcomeAsync("request.escalated", $"request:{filed.RequestId}"));
        Assert.DoesNotContain(filed.RequestId, await service.EscalateOverdueAsync(new DateOnly(2026, 12, 28), default));
        Assert.Null((await new AuditLog(fixture.DataSource).VerifyAsync(default)).FirstBroken);
    }

    [Fact]
    public async Task Filter_errors_are_named_by_field_and_sql_looking_values_are_only_values()
    {
        var error = await Assert.ThrowsAsync<ExchangeRefusedException>(() => _service.FileAsync(CivilRequester, Draft(
            "market.business_registration", ["uscc", "shoe_size"],
            new RowFilter("colour", "eq", ["red"]),
            new RowFilter("uscc", "lt", ["9"]),
            new RowFilter("established_date", "between", ["2020-01-01", "1 OR 1=1"]),
            new RowFilter("established_date", "eq", ["2020-01-01", "2021-01-01"])), Friday, default));
        Assert.Equal(
        [
            "columns[1]: market.business_registration has no column 'shoe_size'",
            "filters[0].field: market.business_registration has no column 'colour'",
            "filters[1].operator: 'lt' does not apply to uscc (VARCHAR); use eq, in, like_prefix",
            "filters[2].values[1]: '1 OR 1=1' is not a date value for established_date (DATE)",
            "filters[3].values: eq takes one value, not 2",
        ], error.Problems);

        const string Injection = "x'; DROP TABLE datahub.exchange_grant; --";
        var granted = await _service.FileAsync(CivilRequester, Draft("market.business_registration", ["uscc"],
            new RowFilter("uscc", "like_prefix", [Injection])), Friday, default);
        Assert.Equal(ExchangeStatus.Granted, granted.Status);
        await using var command = fixture.DataSource.CreateCommand("SELECT row_filter->0->'values'->>0 FROM datahub.exchange_grant WHERE id = @id");
        command.Parameters.AddWithValue("id", granted.GrantId!.Value);
        Assert.Equal(Injection, await command.ExecuteScalarAsync());
    }

    private async Task<(string Dataset, string Department, DateOnly From, DateOnly Until, bool Revoked)> GrantAsync(long id)
    {
        await using var command = fixture.DataSource.CreateCommand(
            "SELECT dataset, department, valid_from, valid_until, revoked_at IS NOT NULL FROM datahub.exchange_grant WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetFieldValue<DateOnly>(3), reader.GetBoolean(4));
    }

    private async Task<(string Status, string? Reason, long Decisions)> RequestRowAsync(long id)
    {
        await using var command = fixture.DataSource.CreateCommand("""
            SELECT status, status_reason, (SELECT count(*) FROM datahub.exchange_decision d WHERE d.request_id = r.id)
            FROM datahub.exchange_request r WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2));
    }

    /// <summary>The outcome of the latest audit row for an action on a target.</summary>
    private async Task<string?> AuditOutcomeAsync(string action, string target)
    {
        await using var command = fixture.DataSource.CreateCommand(
            "SELECT outcome FROM datahub.audit_log WHERE action = @action AND target = @target ORDER BY seq DESC LIMIT 1");
        command.Parameters.AddWithValue("action", action);
        command.Parameters.AddWithValue("target", target);
        return (string?)await command.ExecuteScalarAsync();
    }
}
