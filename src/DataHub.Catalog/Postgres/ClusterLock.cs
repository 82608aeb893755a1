using System.Globalization;

namespace DataHub.Catalog.Postgres;

/// <summary>
/// An exclusive lock on a file next to the cluster directory, held while a cluster is initialised, started or
/// stopped so that two processes never run <c>initdb</c> or <c>pg_ctl start</c> on the same directory at once.
/// On Unix, .NET takes <c>flock(LOCK_EX)</c> for <see cref="FileShare.None"/>, which also excludes a second
/// handle in the same process; the kernel releases it when the process dies.
/// </summary>
internal sealed class ClusterLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);
    private readonly FileStream stream;

    private ClusterLock(FileStream stream) => this.stream = stream;

    /// <summary>The lock file used for a cluster directory: the directory's full path plus <c>.lock</c>.</summary>
    /// <param name="clusterDirectory">The full path of the cluster directory.</param>
    public static string PathFor(string clusterDirectory) => Path.TrimEndingDirectorySeparator(clusterDirectory) + ".lock";

    /// <summary>Waits for the lock.</summary>
    /// <param name="path">The lock file.</param>
    /// <param name="timeout">How long to wait for another holder.</param>
    /// <param name="onWait">Called once when the lock is busy, to say so in the log.</param>
    /// <param name="ct">Cancels the wait.</param>
    public static async Task<ClusterLock> AcquireAsync(string path, TimeSpan timeout, Action onWait, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        var waited = false;
        while (true)
        {
            if (TryOpen(path, out var stream, out var failure))
            {
                return new ClusterLock(stream);
            }

            ThrowIfPast(path, timeout, deadline, failure);
            if (!waited)
            {
                waited = true;
                onWait();
            }

            await Task.Delay(RetryInterval, ct);
        }
    }

    /// <summary>Waits for the lock, blocking the calling thread (used at process exit).</summary>
    /// <param name="path">The lock file.</param>
    /// <param name="timeout">How long to wait for another holder.</param>
    public static ClusterLock Acquire(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryOpen(path, out var stream, out var failure))
            {
                return new ClusterLock(stream);
            }

            ThrowIfPast(path, timeout, deadline, failure);
            Thread.Sleep(RetryInterval);
        }
    }

    /// <summary>Releases the lock. The file stays: deleting it would let a third process lock a different inode.</summary>
    public void Dispose() => stream.Dispose();

    private static bool TryOpen(string path, out FileStream stream, out IOException? failure)
    {
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            failure = null;
            return true;
        }
        catch (IOException ex)
        {
            stream = null!;
            failure = ex;
            return false;
        }
    }

    private static void ThrowIfPast(string path, TimeSpan timeout, DateTime deadline, IOException? failure)
    {
        if (DateTime.UtcNow >= deadline)
        {
            throw new PrivatePostgresException(
                $"Could not lock {path} within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; "
                + "another process is starting or stopping this PostgreSQL cluster.",
                failure!);
        }
    }
}
