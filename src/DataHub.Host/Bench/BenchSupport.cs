using System.Globalization;

namespace DataHub.Host.Bench;

/// <summary>What several benchmarks share: the process's peak memory, and SQL for generated ID numbers.</summary>
internal static class BenchSupport
{
    /// <summary>Resets the kernel's peak-RSS mark of this process (Linux: 5 into clear_refs).</summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
            // Not Linux, or not allowed: the peak then covers the whole run.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    /// <summary>The process's peak resident set (VmHWM) since the last <see cref="ResetPeak"/>, in bytes.</summary>
    public static long PeakRss()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return Environment.WorkingSet;
        }
    }

    /// <summary>
    /// CPU time (user + system) used so far by every process of this machine whose command is <paramref name="command"/>
    /// (as <c>/proc/&lt;pid&gt;/stat</c> names it, e.g. <c>postgres</c>); zero where <c>/proc</c> is not there.
    /// </summary>
    /// <param name="command">The command name.</param>
    public static TimeSpan CpuOfProcesses(string command)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        if (!Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid … utime stime: the command is in parentheses and may hold spaces.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || stat[(open + 1)..close] != command)
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        // USER_HZ is 100 on Linux.
        return TimeSpan.FromMilliseconds(ticks * 10.0);
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–1) of values in ascending order; 0 when there are none.</summary>
    public static double PercentileOfSorted(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The middle value of values in any order, or the mean of the two middle ones for an even count.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–1) of values in any order; 0 when there are none.</summary>
    public static double Percentile(IEnumerable<double> values, double p) => PercentileOfSorted([.. values.Order()], p);

    /// <summary>A DuckDB expression appending the GB 11643 check character to a 17-digit VARCHAR expression.</summary>
    /// <param name="first17">The expression giving the first 17 digits.</param>
    public static string WithCitizenCheck(string first17) => $"""
        {first17} || substr('10X98765432', 1 + CAST(list_sum(list_transform(range(1, 18),
            k -> (ascii(substr({first17}, k, 1)) - 48) * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][k])) % 11 AS BIGINT), 1)
        """;
}
