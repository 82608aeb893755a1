using DataHub.Catalog.Tests;
using DataHub.Pipelines.Ingest;

namespace DataHub.Pipelines.Tests;

/// <summary>Where a run's scratch files go: tmpfs when the inputs fit, the home's tmp/ otherwise; cleaned after a dead run.</summary>
public sealed class IngestScratchTests : IDisposable
{
    private readonly string home = TestDirectories.Create("scratch-home");

    [Fact]
    public void A_run_whose_inputs_fit_gets_a_private_directory_in_memory_and_one_too_large_or_told_disk_gets_the_homes_tmp()
    {
        // This machine kind has a tmpfs /dev/shm (Debian); where it has not, everything is on disk.
        var memory = IngestScratch.Create(home, 41, 10_000_000, null);
        try
        {
            if (OperatingSystem.IsLinux() && new DriveInfo("/dev/shm").DriveFormat == "tmpfs")
            {
                Assert.StartsWith("/dev/shm/datahub-", memory, StringComparison.Ordinal);
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(memory));
                // Two runs, or two homes, never share one.
                var other = IngestScratch.Create(TestDirectories.Create("scratch-other-home"), 41, 10_000_000, "auto");
                Assert.NotEqual(memory, other);
                Directory.Delete(other, recursive: true);
                // It names its home (for the sweep of scratch whose home is gone), and holds nothing else yet.
                Assert.Equal(Path.GetFullPath(home), File.ReadAllText(Path.Combine(memory, ".datahub-home")));
                Assert.Single(Directory.EnumerateFileSystemEntries(memory));
            }
            else
            {
                Assert.Equal(Path.Combine(home, "tmp", "run-41"), memory);
                Assert.Empty(Directory.EnumerateFileSystemEntries(memory));
            }
        }
        finally
        {
            Directory.Delete(memory, recursive: true);
        }

        Assert.Equal(Path.Combine(home, "tmp", "run-42"), IngestScratch.Create(home, 42, 10_000_000, "disk"));
        Assert.Equal(Path.Combine(home, "tmp", "run-43"), IngestScratch.Create(home, 43, 1L << 50, null));
        Assert.Equal(Path.Combine(home, "tmp", "run-44"), IngestScratch.Create(home, 44, 0, null)); // size unknown (fetched rows)
        Assert.True(Directory.Exists(Path.Combine(home, "tmp", "run-43")));
        var refused = Assert.Throws<IngestException>(() => IngestScratch.Create(home, 45, 1, "ram"));
        Assert.Contains("DATAHUB_SCRATCH=ram", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scratch_of_a_dead_run_is_removed_in_memory_and_on_disk_and_nothing_of_other_runs()
    {
        var dead = IngestScratch.Create(home, 7, 1_000, null);
        File.WriteAllText(Path.Combine(dead, "0.csv"), "__line,a\n2,x\n");
        var deadOnDisk = IngestScratch.Create(home, 7, 1_000, "disk");
        File.WriteAllText(Path.Combine(deadOnDisk, "fetched.csv"), "x");
        var alive = IngestScratch.Create(home, 70, 1_000, null);

        Assert.Equal(dead == deadOnDisk ? 1 : 2, IngestScratch.RemoveAbandoned(home, 7));
        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(deadOnDisk));
        Assert.True(Directory.Exists(alive), "run 70's scratch is not run 7's");
        Assert.Equal(1, IngestScratch.RemoveAbandoned(home, 70));
        Assert.Equal(0, IngestScratch.RemoveAbandoned(home, 70));
    }

    [Fact]
    public void The_sweep_removes_memory_scratch_of_runs_not_running_and_of_homes_that_are_gone_and_keeps_running_ones()
    {
        if (!OperatingSystem.IsLinux() || new DriveInfo("/dev/shm").DriveFormat != "tmpfs")
        {
            Assert.Equal(0, IngestScratch.SweepOrphans(home, new HashSet<long>()));
            return;
        }

        var goneHome = TestDirectories.Create("scratch-gone-home");
        var ofGoneHome = IngestScratch.Create(goneHome, 3, 1_000, null);
        TestDirectories.Delete(goneHome);
        var dead = IngestScratch.Create(home, 8, 1_000, null);
        var running = IngestScratch.Create(home, 9, 1_000, null);
        var otherHome = TestDirectories.Create("scratch-live-home");
        var ofOtherHome = IngestScratch.Create(otherHome, 8, 1_000, null);

        Assert.True(IngestScratch.SweepOrphans(home, new HashSet<long> { 9 }) >= 2);
        Assert.False(Directory.Exists(ofGoneHome), "the scratch of a home that is gone");
        Assert.False(Directory.Exists(dead), "run 8 is not running");
        Assert.True(Directory.Exists(running), "run 9 is running");
        Assert.True(Directory.Exists(ofOtherHome), "another live home's run 8 is not this home's to judge");
        Directory.Delete(running, recursive: true);
        Directory.Delete(ofOtherHome, recursive: true);
        TestDirectories.Delete(otherHome);
    }

    public void Dispose() => TestDirectories.Delete(home);
}
