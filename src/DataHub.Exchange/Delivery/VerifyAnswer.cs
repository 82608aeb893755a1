namespace DataHub.Exchange.Delivery;

/// <summary>The answer to a verification lookup: does this person or entity exist in the grant's data, and its granted fields.</summary>
/// <param name="Exists">Whether a row with that key is in the grant (after its row filter).</param>
/// <param name="GrantId">The grant used.</param>
/// <param name="Dataset">Its dataset.</param>
/// <param name="SnapshotId">The dataset snapshot looked up.</param>
/// <param name="Matches">Rows found: 0, 1, or 2 meaning more than one.</param>
/// <param name="Fields">The granted columns of the first row, masked as the grant says; null when none exists.</param>
public sealed record VerifyAnswer(bool Exists, long GrantId, string Dataset, long SnapshotId, int Matches, System.Text.Json.JsonElement? Fields);
