using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataHub.Pipelines.Ingest;

/// <summary>
/// Where a run keeps its scratch files (the normalised copy of each input, fetched rows): in memory, on the machine's
/// tmpfs (<c>/dev/shm</c>), when the run's inputs fit there with room to spare, else under <c>$DATAHUB_HOME/tmp</c>.
/// The copy is read once by DuckDB and deleted with the run, so it needs no disk; written to disk it is the slowest
/// part of decoding once the kernel starts writing dirty pages back (measured on a 2-core VM: 1 GiB in 0.7–1.1 s to
/// tmpfs, 0.9–16 s to ext4). <c>DATAHUB_SCRATCH=disk</c> keeps scratch on disk. A run's scratch directory is its own
/// (mode 0700, an unguessable name), and the scratch of a run whose process died is removed when the pipeline next runs.
/// </summary>
public static class IngestScratch
{
    /// <summary>The environment variable: <c>auto</c> (default) or <c>disk</c>.</summary>
    public const string Variable = "DATAHUB_SCRATCH";

    private const string MemoryRoot = "/dev/shm";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the scratch directory of a run.</summary>
    /// <param name="home">The DataHub home.</param>
    /// <param name="runId">The run.</param>
    /// <param name="inputBytes">The bytes of the run's inputs; 0 when not known (rows fetched from a database or an endpoint), which keeps scratch on disk.</param>
    /// <param name="setting">The value of <see cref="Variable"/>, or null for <c>auto</c>.</param>
    /// <returns>The directory, empty.</returns>
    /// <exception cref="IngestException">The setting is neither <c>auto</c> nor <c>disk</c>.</exception>
    public static string Create(string home, long runId, long inputBytes, string? setting)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        if (setting is not (null or "" or "auto" or "disk"))
        {
            throw new IngestException($"{Variable}={setting}: expected auto (memory when the inputs fit, the default) or disk.");
        }

        if (OperatingSystem.IsLinux() && setting != "disk" && inputBytes > 0 && FitsInMemory(inputBytes))
        {
            var directory = Path.Combine(MemoryRoot, Prefix(home, runId) + Guid.NewGuid().ToString("N"));
            try
            {
                Directory.CreateDirectory(directory, OwnerOnly);
                // A directory of another's making (a link, other permissions) is not used.
                var info = new DirectoryInfo(directory);
                if (info.LinkTarget is null && (File.GetUnixFileMode(directory) & ~OwnerOnly) == 0 && !info.EnumerateFileSystemInfos().Any())
                {
                    // Whose it is, for the sweep of scratch left behind by homes and runs that are gone.
                    File.WriteAllText(Path.Combine(directory, HomeFile), Path.GetFullPath(home));
                    return directory;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not writable here: disk it is.
            }
        }

        var onDisk = OnDisk(home, runId);
        Directory.CreateDirectory(onDisk);
        return onDisk;
    }

    /// <summary>Removes the scratch of a run whose process stopped before it finished (in memory and on disk).</summary>
    /// <param name="home">The DataHub home.</param>
    /// <param name="runId">The run.</param>
    /// <returns>The directories removed.</returns>
    public static int RemoveAbandoned(string home, long runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        var removed = 0;
        var candidates = new List<string> { OnDisk(home, runId) };
        if (Directory.Exists(MemoryRoot))
        {
            try
            {
                candidates.AddRange(Directory.EnumerateDirectories(MemoryRoot, Prefix(home, runId) + "*"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing of ours can be there.
            }
        }

        foreach (var directory in candidates.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
            removed++;
        }

        return removed;
    }

    /// <summary>
    /// Removes the in-memory scratch that no run will remove: of this home's runs that are not running (their process
    /// died and their pipeline has not run since), and of homes that no longer exist.
    /// </summary>
    /// <param name="home">The DataHub home.</param>
    /// <param name="running">The runs of this home's catalog still marked running.</param>
    /// <returns>The directories removed.</returns>
    public static int SweepOrphans(string home, IReadOnlySet<long> running)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        ArgumentNullException.ThrowIfNull(running);
        if (!Directory.Exists(MemoryRoot))
        {
            return 0;
        }

        var ours = Path.GetFullPath(home);
        var removed = 0;
        try
        {
            foreach (var directory in Directory.EnumerateDirectories(MemoryRoot, "datahub-*-run-*"))
            {
                var owner = Path.Combine(directory, HomeFile);
                string recorded;
                try
                {
                    recorded = File.ReadAllText(owner);
                }
                catch (FileNotFoundException)
                {
                    // Named by nobody: one being created has its name within moments; one an hour old never will.
                    if (Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddHours(-1))
                    {
                        Directory.Delete(directory, recursive: true);
                        removed++;
                    }

                    continue;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue; // not ours to judge (another account's)
                }

                if (!Directory.Exists(recorded) || (recorded == ours && !running.Contains(RunOf(Path.GetFileName(directory)))))
                {
                    Directory.Delete(directory, recursive: true);
                    removed++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A directory that went away meanwhile, or one we may not remove: the next sweep tries again.
        }

        return removed;
    }

    // datahub-<home>-run-<id>-<random>: the id, or -1.
    private static long RunOf(string name)
    {
        var at = name.IndexOf("-run-", StringComparison.Ordinal);
        var end = at < 0 ? -1 : name.IndexOf('-', at + 5);
        return end > at && long.TryParse(name.AsSpan(at + 5, end - at - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1;
    }

    private const string HomeFile = ".datahub-home";

    private static string OnDisk(string home, long runId) => Path.Combine(home, "tmp", string.Create(CultureInfo.InvariantCulture, $"run-{runId}"));

    // Tells apart the homes sharing one machine's tmpfs.
    private static string Prefix(string home, long runId) => string.Create(CultureInfo.InvariantCulture,
        $"datahub-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(home))))[..12]}-run-{runId}-");

    // Room for the copy (UTF-8 from GBK can be half as large again as the input, plus line numbers) twice over, and
    // never more than a quarter of the memory available, so that DuckDB keeps what it needs.
    private static bool FitsInMemory(long inputBytes)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(MemoryRoot))
        {
            return false;
        }

        try
        {
            var drive = new DriveInfo(MemoryRoot);
            var needed = (inputBytes * 2) + (256L << 20);
            return drive.DriveFormat == "tmpfs" && drive.AvailableFreeSpace >= needed && needed <= MemoryAvailable() / 4;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long MemoryAvailable()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal) &&
                long.TryParse(line["MemAvailable:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                return kb * 1024;
            }
        }

        return 0;
    }
}
