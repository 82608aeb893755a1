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

    /// <summary>A file whose hash is not computed yet: <see cref="HashNow"/>, or <see cref="DeferHashing"/> then <see cref="StartHashing"/>, does it.</summary>
    public static SourceInput Listed(string path, string display, bool fromInbox) =>
        new(path, display, new FileInfo(path).Length, null, fromInbox) { IsFile = true };

    /// <summary>A file (not a fetched input): it has a content hash once hashed.</summary>
    public bool IsFile { get; private init; }

    /// <summary>Known to be new without its hash (<see cref="DeferHashing"/>); hashed beside its decoding.</summary>
    public bool HashDeferred { get; private set; }

    private Task<string>? _hashing;
    private volatile bool _stopHashing;

    /// <summary>Computes the content hash on this thread (no-op when known).</summary>
    /// <exception cref="IngestException">The file's size is not the one it was listed with (it is still being written).</exception>
    public void HashNow() => ContentHash ??= Hash();

    /// <summary>Marks a file known to be new: its hash is computed by <see cref="StartHashing"/> when its decoding starts, and needed only for the commit.</summary>
    public void DeferHashing() => HashDeferred = ContentHash is null;

    /// <summary>
    /// For a file marked by <see cref="DeferHashing"/>: computes the content hash on a thread-pool thread while the
    /// single-threaded decoder reads the same file on this one.
    /// </summary>
    public void StartHashing()
    {
        if (HashDeferred)
        {
            _hashing ??= Task.Run(Hash);
        }
    }

    /// <summary>Sets <see cref="ContentHash"/> of a file marked by <see cref="DeferHashing"/>: waits for its hash, or computes it if not started.</summary>
    /// <exception cref="IngestException">The file's size is not the one it was listed with.</exception>
    public async Task FinishHashingAsync()
    {
        if (HashDeferred && ContentHash is null)
        {
            StartHashing();
            ContentHash = await _hashing!.ConfigureAwait(false);
        }
    }

    /// <summary>At the end of every run: stops a hash still running and waits for it, observing its failure, so that no read of the file outlives the run.</summary>
    public async Task SettleAsync()
    {
        if (_hashing is not null)
        {
            _stopHashing = true;
            try
            {
                await _hashing.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the run's own outcome is what counts; a hash it no longer needs may fail or be stopped
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>SHA-256 of the file, checking that it still has the size it was listed with (the fast path of new files relies on it).</summary>
    private string Hash()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (_stopHashing)
            {
                throw new OperationCanceledException($"{Display}: hashing stopped with its run.");
            }

            hash.AppendData(buffer, 0, read);
            total += read;
        }

        if (total != Bytes)
        {
            throw new IngestException($"{Display}: the file is {total} bytes now but was {Bytes} when listed; it is still being written or was replaced. Nothing of it is committed; it is read again by the next run.");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
