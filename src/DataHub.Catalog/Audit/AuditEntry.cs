using System.Text.Json.Nodes;

namespace DataHub.Catalog.Audit;

/// <summary>One event to append to the audit log; the log adds the sequence number, time and hashes.</summary>
/// <param name="Actor">Who acted: a user name or an API key id.</param>
/// <param name="Department">The actor's department code, when known.</param>
/// <param name="Action">What was attempted, dotted lower case: <c>request.filed</c>, <c>grant.revoked</c>, <c>query</c>, <c>export</c>, <c>auth.denied</c>.</param>
/// <param name="Target">What it was attempted on: a grant id, a dataset name; null when nothing in particular.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">Further facts as a JSON object (stored as jsonb); null for none.</param>
public sealed record AuditEntry(
    string Actor,
    string? Department,
    string Action,
    string? Target,
    AuditOutcome Outcome,
    JsonObject? Detail = null);
