using System.Globalization;

namespace DataHub.Lake.Tables;

/// <summary>Which version of a table to read: the current one, a snapshot id, or the state at a time.</summary>
public readonly record struct LakeVersion
{
    private LakeVersion(long? snapshotId, DateTimeOffset? asOf)
    {
        SnapshotId = snapshotId;
        AsOf = asOf;
    }

    /// <summary>The current snapshot.</summary>
    public static LakeVersion Current => default;

    /// <summary>A snapshot id, when reading a fixed snapshot.</summary>
    public long? SnapshotId { get; }

    /// <summary>A time, when reading the state as of then.</summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>A fixed snapshot.</summary>
    public static LakeVersion Snapshot(long id) => new(id, null);

    /// <summary>The state as of a time (the last snapshot committed at or before it).</summary>
    public static LakeVersion At(DateTimeOffset time) => new(null, time);

    /// <summary>Parses a snapshot id (digits) or an ISO-8601 timestamp.</summary>
    public static LakeVersion Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return Snapshot(id);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
            ? At(time)
            : throw new FormatException($"'{text}' is neither a snapshot id nor a timestamp such as 2026-11-22T10:30:00+08:00.");
    }

    /// <inheritdoc />
    public override string ToString() =>
        SnapshotId is { } id ? $"snapshot {id}" : AsOf is { } t ? $"as of {t:O}" : "current";
}
