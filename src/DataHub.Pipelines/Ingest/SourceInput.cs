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

    /// <summary>SHA-256 of a file's content; null for a fetched input (database, HTTP), which a watermark or cursor tracks.</summary>
    public string? ContentHash { get; }

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

    public static SourceInput ForFile(string path, string display, bool fromInbox)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new SourceInput(path, display, stream.Length, hash, fromInbox);
    }
}
