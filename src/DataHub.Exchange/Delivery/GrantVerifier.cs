using System.Globalization;
using System.Text.Json.Nodes;
using DataHub.Catalog;
using DataHub.Catalog.Audit;
using DataHub.Exchange.Identity;
using DataHub.Exchange.Masking;
using DataHub.Exchange.Requests;
using DataHub.Themes.Identifiers;

namespace DataHub.Exchange.Delivery;

/// <summary>
/// Verification lookups (<c>GET /api/v1/exchange/verify/citizen/{idNumber}</c>, <c>…/verify/entity/{creditCode}</c>):
/// does this person or entity exist in a grant's data, with the granted fields, masked. Needs a grant with delivery
/// <c>verify</c> on a dataset whose key column carries the data element <c>citizen_id</c> or <c>uscc</c>; the key
/// column itself is never returned (a level-4 ID number can be verified without leaving). The number is checked
/// (format and check character) before anything is looked up. Every call is audited through the group-commit
/// <see cref="AuditWriter"/>, naming the subject by a keyed pseudonym, never the number.
/// </summary>
/// <param name="catalog">The catalog.</param>
/// <param name="grants">Where grants are read.</param>
/// <param name="views">The exchange's DuckDB views and lookup indexes.</param>
/// <param name="delivery">Refusals are audited and thrown through it.</param>
/// <param name="audit">The group-commit audit writer.</param>
/// <param name="pseudonyms">Names subjects in the audit log.</param>
/// <param name="time">The clock (periods in Asia/Shanghai).</param>
public sealed class GrantVerifier(
    CatalogDefinitions catalog, GrantStore grants, GrantViews views, GrantDeliveryService delivery, AuditWriter audit, Pseudonymizer pseudonyms, TimeProvider time)
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private readonly Dictionary<string, SubjectNodeDefinition> _attributes =
        (catalog ?? throw new ArgumentNullException(nameof(catalog))).Nodes.Where(n => n.Level == 5).ToDictionary(n => n.Code, StringComparer.Ordinal);

    /// <summary>Looks a person (<paramref name="creditCode"/> false) or an entity up under a grant.</summary>
    /// <param name="actor">The caller.</param>
    /// <param name="creditCode">True for a unified social credit code, false for a citizen ID number.</param>
    /// <param name="raw">The number as given.</param>
    /// <param name="grantId">The grant to use, or null for the caller's only verification grant of that kind.</param>
    /// <param name="ct">Cancels the lookup.</param>
    /// <exception cref="ExchangeRefusedException">Invalid number (400), no or several grants (400/403), or the grant refuses (403/404/409); audited.</exception>
    public async Task<VerifyAnswer> VerifyAsync(ExchangeActor actor, bool creditCode, string? raw, long? grantId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var action = creditCode ? "verify.entity" : "verify.citizen";
        var key = creditCode ? ThemeKeys.CreditCode(raw) : ThemeKeys.CitizenId(raw);
        if (key.Value is not { } canonical)
        {
            await DenyAsync(actor, action, grantId, $"{(creditCode ? "creditCode" : "idNumber")}: {key.Problem}", ExchangeRefusal.Invalid, ct);
            throw new InvalidOperationException("unreachable");
        }

        GrantRecord? grant;
        if (grantId is { } id)
        {
            grant = await grants.GetAsync(id, ct);
        }
        else
        {
            var candidates = (await grants.ListAsync(actor.Department, ct))
                .Where(g => g.Delivery == "verify" && g.RevokedAt is null && KeyColumn(g.Dataset, creditCode) is not null).ToList();
            if (candidates.Count != 1)
            {
                await DenyAsync(actor, action, null, candidates.Count == 0
                    ? $"{actor.Department} holds no verification grant on a dataset keyed by {(creditCode ? "credit code" : "ID number")}"
                    : $"several verification grants apply ({string.Join(", ", candidates.Select(c => c.Id))}); name one with ?grant=",
                    candidates.Count == 0 ? ExchangeRefusal.Forbidden : ExchangeRefusal.Invalid, ct);
            }

            grant = candidates[0];
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone).DateTime);
        var keyColumn = grant is null ? null : KeyColumn(grant.Dataset, creditCode);
        var problem = GrantDeliveryService.Check(actor, grant, grant?.Id ?? grantId ?? 0, GrantUse.Verify, today)
            ?? (keyColumn is null ? ($"{grant!.Dataset} has no column holding a {(creditCode ? "credit code" : "citizen ID number")}", ExchangeRefusal.Conflict) : null);
        if (problem is { } refused)
        {
            await DenyAsync(actor, action, grant?.Id ?? grantId, refused.Text, refused.Kind, ct);
        }

        CompiledGrant view;
        try
        {
            view = await views.CompileVerifyAsync(grant!, keyColumn!, creditCode, ct);
        }
        catch (ExchangeRefusedException e)
        {
            await DenyAsync(actor, action, grant!.Id, string.Join("; ", e.Problems), e.Kind, ct);
            throw;
        }

        var (json, matches) = views.Lookup(view, canonical);
        System.Text.Json.JsonElement? fields = null;
        if (json is not null)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            fields = document.RootElement.Clone();
        }
        await audit.AppendAsync(new AuditEntry(actor.User, actor.Department, action, string.Create(CultureInfo.InvariantCulture, $"grant:{grant!.Id}"), AuditOutcome.Ok,
            new JsonObject
            {
                ["dataset"] = grant.Dataset,
                ["snapshot"] = view.SnapshotId,
                ["subject"] = pseudonyms.Hash(canonical),
                ["exists"] = matches > 0,
                ["columns"] = new JsonArray([.. view.Columns.Select(c => JsonValue.Create(c.Column))]),
                ["masked"] = view.Masked,
            }));
        return new VerifyAnswer(matches > 0, grant.Id, grant.Dataset, view.SnapshotId, matches, fields);
    }

    /// <summary>The dataset's column mapped to the citizen_id (or uscc) data element, or null.</summary>
    /// <param name="dataset">The dataset name.</param>
    /// <param name="creditCode">True for uscc.</param>
    public string? KeyColumn(string dataset, bool creditCode)
    {
        var element = creditCode ? "uscc" : "citizen_id";
        return catalog.TryGetDataset(dataset, out var d)
            ? d.Columns.FirstOrDefault(c => c.L5NodeCode is not null && _attributes.TryGetValue(c.L5NodeCode, out var a) && a.ElementCode == element)?.Name
            : null;
    }

    private Task DenyAsync(ExchangeActor actor, string action, long? grantId, string text, ExchangeRefusal kind, CancellationToken ct) =>
        delivery.DenyAsync(actor, action, grantId ?? 0, text, kind, ct);
}
