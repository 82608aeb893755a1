using System.Security.Cryptography;
using System.Text;
using DataHub.Catalog.Tests;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Tests;

/// <summary>A file input's content hash, computed now or beside its decoding, and refused when the file changed size since it was listed.</summary>
public sealed class SourceInputTests : IDisposable
{
    private readonly string directory = TestDirectories.Create("source-input");

    public void Dispose() => TestDirectories.Delete(directory);

    [Fact]
    public async Task A_deferred_hash_is_the_files_sha256_now_or_beside_decoding()
    {
        var path = Write("a.csv", "户号,表号\nW1,M1\n");
        var expected = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));

        var now = SourceInput.Listed(path, "a.csv", fromInbox: false);
        now.HashNow();
        Assert.Equal(expected, now.ContentHash);

        var deferred = SourceInput.Listed(path, "a.csv", fromInbox: false);
        deferred.DeferHashing();
        Assert.True(deferred.HashDeferred);
        Assert.Null(deferred.ContentHash);
        deferred.StartHashing();
        await deferred.FinishHashingAsync();
        Assert.Equal(expected, deferred.ContentHash);
        await deferred.SettleAsync();

        // Never started (no decode reached it): the commit's wait computes it.
        var late = SourceInput.Listed(path, "a.csv", fromInbox: false);
        late.DeferHashing();
        await late.FinishHashingAsync();
        Assert.Equal(expected, late.ContentHash);
        await late.SettleAsync();
    }

    [Fact]
    public async Task A_file_that_grew_after_it_was_listed_is_refused_whichever_way_it_is_hashed()
    {
        var path = Write("growing.csv", "户号,表号\nW1,M1\n");
        var now = SourceInput.Listed(path, "inbox/growing.csv", fromInbox: true);
        var deferred = SourceInput.Listed(path, "inbox/growing.csv", fromInbox: true);
        await File.AppendAllTextAsync(path, "W2,M2\n");

        var error = Assert.Throws<IngestException>(now.HashNow);
        Assert.Contains("inbox/growing.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("still being written", error.Message, StringComparison.Ordinal);
        Assert.Null(now.ContentHash);

        deferred.DeferHashing();
        deferred.StartHashing();
        await Assert.ThrowsAsync<IngestException>(deferred.FinishHashingAsync);
        Assert.Null(deferred.ContentHash);
        await deferred.SettleAsync(); // the failed hash is observed, not thrown again
    }

    [Fact]
    public async Task Settling_a_run_observes_a_hash_that_failed_without_throwing_it_again()
    {
        var path = Write("gone.csv", "户号,表号\nW1,M1\n");
        var input = SourceInput.Listed(path, "gone.csv", fromInbox: false);
        input.DeferHashing();
        File.Delete(path);
        input.StartHashing();
        await input.SettleAsync();
        Assert.Null(input.ContentHash);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
