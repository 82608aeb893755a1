using System.Globalization;
using DataHub.Host.Platform;

namespace DataHub.Host.Cli;

/// <summary>The <c>audit</c> verbs: verify the exchange's audit chain.</summary>
internal static class AuditCommands
{
    public const string Help = """
        datahub audit verify

        verify    reads datahub.audit_log in seq order and recomputes its hash chain (SHA-256 over each row's
                  predecessor hash and canonical form); exits 0 when every row checks out, 1 naming the first
                  broken row: hash-mismatch (the row was changed), prev-hash-mismatch (a row before it was deleted,
                  or rows were reordered), seq-gap (renumbered). Prints the head hash: record it elsewhere to detect
                  rows cut from the end of the log.
        """;

    public static async Task<int> RunAsync(DataHubPlatform platform, CommandLine options, TextWriter output, CancellationToken ct)
    {
        if (options.Positional is not ["verify"])
        {
            await output.WriteLineAsync(Help);
            return 2;
        }

        var result = await platform.Audit.VerifyAsync(ct);
        if (result.FirstBroken is { } broken)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"audit log BROKEN at row {broken.Seq} ({broken.ReasonCode}): {broken.Description}; {result.Rows:N0} row(s) read"));
            return 1;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"audit log intact: {result.Rows:N0} row(s){(result.Head is null ? string.Empty : ", head " + result.Head)}"));
        return 0;
    }
}
