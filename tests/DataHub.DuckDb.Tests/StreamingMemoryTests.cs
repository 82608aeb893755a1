using System.Diagnostics;
using DataHub.DuckDb;

namespace DataHub.DuckDb.Tests;

[Collection(SerialTests.Name)]
public sealed class StreamingMemoryTests
{
    [Fact]
    public void Ten_million_rows_stream_through_the_reader_with_bounded_memory()
    {
        using var connection = new DuckDbConnection("Data Source=:memory:;Memory Limit=512MB");
        connection.Open();
        using var command = connection.CreateCommand();
        // 10M × (8 + 8 + ~45 bytes of text) ≈ 600 MB of values if the result were held at once.
        command.CommandText = "SELECT i, i * 0.5, 'row-' || i || '-水表读数-padding-text' FROM range(10000000) r(i)";
        using var process = Process.GetCurrentProcess();
        long warm = 0;
        long peak = 0;
        long rows = 0;
        long sum = 0;
        long textBytes = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                sum += reader.GetInt64(0);
                textBytes += reader.GetUtf8Bytes(2).Length;
                if ((++rows % 500_000) == 0)
                {
                    process.Refresh();
                    if (rows == 1_000_000)
                    {
                        warm = process.WorkingSet64;
                    }

                    peak = Math.Max(peak, process.WorkingSet64);
                    Assert.Equal((rows - 1) * 0.5, reader.GetDouble(1));
                }
            }
        }

        Assert.Equal(10_000_000, rows);
        Assert.Equal(10_000_000L * 9_999_999 / 2, sum);
        Assert.True(textBytes > 300_000_000, $"text bytes {textBytes}");
        // After the first million rows the process must not keep growing with the result.
        var growth = peak - warm;
        Assert.True(growth < 96L * 1024 * 1024, $"working set grew by {growth >> 20} MB after warm-up while streaming {textBytes >> 20} MB of text");
    }
}
