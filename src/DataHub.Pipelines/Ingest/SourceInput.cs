using System.Security.Cryptography;

namespace DataHub.Pipelines.Ingest;

/// <summary>One input of a run (a file), identified by the SHA-256 of its content.</summary>
internal sealed class SourceInput
{
    private SourceInput(string path, string display, long bytes, string? hash, bool fromInbox)
    {
        Path = path;
        Display = display;
        Bytes = bytes;
        ContentHash = hash;
        FromInbox = fromInbox;
    }

    public string Path { get; }

    public string Display { get; }

    public long Bytes { get; }

    /// <summary>
    /// SHA-256 of a file's content; null for a fetched input (database, HTTP), which a watermark or cursor tracks, and
    /// for a file whose hash is still being computed beside its decoding (<see cref="StartHashing"/>) until
    /// <see cref="FinishHashingAsync"/>.
    /// </summary>
    public string? ContentHash { get; private set; }

    /// <summary>A fetched input arrives decoded already.</summary>
    public DecodedFile? Decoded { get; private init; }

    /// <summary>The watermark or cursor reached by a fetched input, stored with the commit.</summary>
    public string? Position { get; private init; }

    /// <summary>From an inbox folder: moved to <c>processed/</c> once committed.</summary>
    public bool FromInbox { get; }

    /// <summary>Its content was ingested by an earlier run (skipped now).</summary>
    public bool AlreadyIngested { get; set; }

    public static SourceInput Fetched(DecodedFile decoded, string display, string? position) =>
        new(decoded.DecodedPath, display, new FileInfo(decoded.DecodedPath).Length, null, fromInbox: false) { Decoded = decoded, Position = position };

    /// <summary>A file, hashed now.</summary>
    public static SourceInput ForFile(string path, string display, bool fromInbox)
    {
        var input = Listed(path, display, fromInbox);
        input.HashNow();
        return input;
    }

    /// <summary>A file whose hash is not computed yet: <see cref="HashNow"/> or <see cref="StartHashing"/> does it.</summary>
    public static SourceInput Listed(string path, string display, bool fromInbox) =>
        new(path, display, new FileInfo(path).Length, null, fromInbox) { IsFile = true };

    /// <summary>A file (not a fetched input): it has a content hash once hashed.</summary>
    public bool IsFile { get; private init; }

    private Task<string>? _hashing;

    /// <summary>Computes the content hash on this thread (no-op when known).</summary>
    public void HashNow() => ContentHash ??= Hash(Path);

    /// <summary>
    /// Computes the content hash on a thread-pool thread, beside the decoding of the file that follows (which is single
    /// threaded and reads the same pages): for a file already known to be new, its hash is needed only for the commit.
    /// </summary>
    public void StartHashing() => _hashing ??= Task.Run(() => Hash(Path));

    /// <summary>Waits for a hash begun by <see cref="StartHashing"/> and sets <see cref="ContentHash"/>.</summary>
    public async Task FinishHashingAsync()
    {
        if (_hashing is not null && ContentHash is null)
        {
            ContentHash = await _hashing.ConfigureAwait(false);
        }
    }

    /// <summary>After a failed run: lets a hash still running finish, its outcome unobserved, so that no read of the file outlives the run.</summary>
    public async Task SettleAsync()
    {
        if (_hashing is not null)
        {
            await _hashing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
