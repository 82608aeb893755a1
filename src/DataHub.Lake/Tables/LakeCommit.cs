namespace DataHub.Lake.Tables;

/// <summary>Who commits and why; recorded on the snapshot.</summary>
/// <param name="Author">A user name or <c>pipeline:name</c>.</param>
/// <param name="Message">Why (free text).</param>
public sealed record LakeCommit(string Author, string? Message = null);
