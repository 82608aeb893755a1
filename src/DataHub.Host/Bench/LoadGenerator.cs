using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using System.Text.Json.Nodes;

namespace DataHub.Host.Bench;

/// <summary>
/// <c>datahub bench load</c>: the HTTP load of <c>bench verify</c>, run as a process of its own. With a rate the load is
/// open: request i is due at start + i / rate whatever the answers before it did, and its latency is counted from
/// that due time (so a stalled server is charged for the requests it made wait — no coordinated omission). Without a
/// rate each connection sends its next request when the last one is answered. Plain keep-alive HTTP/1.1 over sockets
/// (requests prepared beforehand), so that the load costs the shared cores as little as it can. GETs <c>{path}{id}</c> for ids taken
/// from a file in a fixed stride, with a bearer key; prints one JSON line: requests, rps, non2xx, errors, timeouts,
/// latency p50/p90/p99/p999/max/mean in ms.
/// </summary>
public static class LoadGenerator
{
    /// <summary>Runs the load and writes its JSON line.</summary>
    public static async Task<int> RunAsync(Uri baseUrl, string key, string path, string idsFile, int connections, int seconds, int? rate, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var ids = File.ReadLines(idsFile).Where(l => l.Length > 0).ToArray();
        if (ids.Length == 0)
        {
            throw new ArgumentException($"{idsFile}: no ids");
        }

        var run = new Run(baseUrl, key, path, ids);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var elapsed = rate is { } r ? await run.OpenAsync(connections, r, seconds, ct) : await run.ClosedAsync(connections, seconds, ct);
        var latencies = run.Latencies();
        Array.Sort(latencies);
        double At(double p) => BenchSupport.PercentileOfSorted(latencies, p);
        var result = new JsonObject
        {
            ["requests"] = latencies.Length,
            ["rps"] = latencies.Length / elapsed,
            ["non2xx"] = run.NonSuccess,
            ["errors"] = run.Errors,
            ["timeouts"] = run.Timeouts,
            ["cpuMs"] = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds,
            ["lag"] = Percentiles(run.Lag()),
            ["server"] = Percentiles(run.Server()),
            ["latency"] = new JsonObject
            {
                ["p50"] = At(0.50),
                ["p90"] = At(0.90),
                ["p99"] = At(0.99),
                ["p999"] = At(0.999),
                ["max"] = latencies.Length == 0 ? 0 : latencies[^1],
                ["mean"] = latencies.Length == 0 ? 0 : latencies.Average(),
            },
        };
        await output.WriteLineAsync(result.ToJsonString());
        return 0;
    }

    private static JsonObject Percentiles(double[] values)
    {
        Array.Sort(values);
        return new JsonObject { ["p50"] = BenchSupport.PercentileOfSorted(values, 0.5), ["p99"] = BenchSupport.PercentileOfSorted(values, 0.99), ["max"] = values.Length == 0 ? 0 : values[^1] };
    }

    private sealed class Run(Uri baseUrl, string key, string path, string[] ids)
    {
        private readonly List<double> _latencies = new(1 << 16);
        private readonly List<double> _server = new(1 << 16);
        private readonly List<double> _lag = new(1 << 16);
        private readonly Lock _gate = new();
        private byte[][] _requests = [];
        private int _next;
        private long _nonSuccess;
        private long _errors;
        private long _timeouts;

        public long NonSuccess => Interlocked.Read(ref _nonSuccess);

        public long Errors => Interlocked.Read(ref _errors);

        public long Timeouts => Interlocked.Read(ref _timeouts);

        public double[] Latencies()
        {
            lock (_gate)
            {
                return [.. _latencies];
            }
        }

        /// <summary>The server's own time per answer (its Server-Timing header), in ms, where it sent one.</summary>
        public double[] Server()
        {
            lock (_gate)
            {
                return [.. _server];
            }
        }

        /// <summary>How late the requests were taken up by a connection, in ms (open load only).</summary>
        public double[] Lag()
        {
            lock (_gate)
            {
                return [.. _lag];
            }
        }

        // Open load: a thread of its own wakes about every millisecond and queues every request due by now; each
        // connection takes the next queued request when it is free, so a slow answer delays the ones behind it and
        // their latency (from their due time) shows it.
        public async Task<double> OpenAsync(int connections, int rate, int seconds, CancellationToken ct)
        {
            var sockets = await ConnectAsync(connections, ct);
            var started = Stopwatch.GetTimestamp();
            var total = (long)rate * seconds;
            var interval = Stopwatch.Frequency / (double)rate;
            var queue = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleWriter = true });
            var dispatcher = new Thread(() =>
            {
                var start = Stopwatch.GetTimestamp();
                long sent = 0;
                while (sent < total && !ct.IsCancellationRequested)
                {
                    var due = Math.Min(total, (long)((Stopwatch.GetTimestamp() - start) / interval) + 1);
                    for (; sent < due; sent++)
                    {
                        queue.Writer.TryWrite(start + (long)(sent * interval));
                    }

                    Thread.Sleep(1);
                }

                queue.Writer.TryComplete();
            }) { IsBackground = true, Name = "load dispatcher", Priority = ThreadPriority.AboveNormal };
            dispatcher.Start();
            await Task.WhenAll(sockets.Select(async connection =>
            {
                await foreach (var due in queue.Reader.ReadAllAsync(ct))
                {
                    var lag = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                    lock (_gate)
                    {
                        _lag.Add(lag);
                    }

                    await SendAsync(connection, due, ct);
                }
            }));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            foreach (var connection in sockets)
            {
                connection.Dispose();
            }

            return elapsed;
        }

        // Closed load: each connection sends again as soon as it is answered.
        public async Task<double> ClosedAsync(int connections, int seconds, CancellationToken ct)
        {
            var sockets = await ConnectAsync(connections, ct);
            var started = Stopwatch.GetTimestamp();
            var end = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
            await Task.WhenAll(sockets.Select(async connection =>
            {
                while (Stopwatch.GetTimestamp() < end)
                {
                    await SendAsync(connection, Stopwatch.GetTimestamp(), ct);
                }
            }));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            foreach (var connection in sockets)
            {
                connection.Dispose();
            }

            return elapsed;
        }

        private async Task<List<Connection>> ConnectAsync(int connections, CancellationToken ct)
        {
            var host = baseUrl.Host;
            var authority = baseUrl.IsDefaultPort ? host : string.Create(CultureInfo.InvariantCulture, $"{host}:{baseUrl.Port}");
            _requests = [.. ids.Select(id => Encoding.ASCII.GetBytes($"GET {path}{Uri.EscapeDataString(id)} HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {key}\r\n\r\n"))];
            var list = new List<Connection>(connections);
            for (var i = 0; i < connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(host, baseUrl.Port, ct);
                list.Add(new Connection(socket));
            }

            return list;
        }

        private async Task SendAsync(Connection connection, long due, CancellationToken ct)
        {
            var index = (int)((uint)Interlocked.Add(ref _next, 7919) % (uint)_requests.Length);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await connection.Socket.SendAsync(_requests[index], SocketFlags.None, timeout.Token);
                var (status, server) = await connection.ReadResponseAsync(timeout.Token);
                var latency = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                if (status is < 200 or > 299)
                {
                    Interlocked.Increment(ref _nonSuccess);
                }

                lock (_gate)
                {
                    _latencies.Add(latency);
                    if (server is { } ms)
                    {
                        _server.Add(ms);
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _timeouts);
                throw new InvalidOperationException("an answer took over 10 s; the connection is out of step");
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _errors);
                throw;
            }
        }
    }

    // One keep-alive HTTP/1.1 connection: a request at a time, the answer read by Content-Length or chunks.
    private sealed class Connection(Socket socket) : IDisposable
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public Socket Socket { get; } = socket;

        public void Dispose() => Socket.Dispose();

        public async Task<(int Status, double? ServerMs)> ReadResponseAsync(CancellationToken ct)
        {
            int headerEnd;
            while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
            {
                await FillAsync(ct);
            }

            var head = Encoding.ASCII.GetString(_buffer, _start, headerEnd);
            _start += headerEnd + 4;
            var lines = head.Split("\r\n");
            var status = int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture);
            long length = 0;
            var chunked = false;
            double? server = null;
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var name = line.AsSpan(0, colon).Trim();
                var value = line.AsSpan(colon + 1).Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = long.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = true;
                }
                else if (name.Equals("Server-Timing", StringComparison.OrdinalIgnoreCase) && value.StartsWith("app;dur=", StringComparison.Ordinal)
                         && double.TryParse(value[8..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                {
                    server = ms;
                }
            }

            if (!chunked)
            {
                await SkipAsync(length, ct);
                return (status, server);
            }

            while (true)
            {
                int lineEnd;
                while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
                {
                    await FillAsync(ct);
                }

                var sizeText = Encoding.ASCII.GetString(_buffer, _start, lineEnd).Split(';')[0];
                _start += lineEnd + 2;
                var size = long.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                await SkipAsync(size + 2, ct);
                if (size == 0)
                {
                    return (status, server);
                }
            }
        }

        private async Task SkipAsync(long bytes, CancellationToken ct)
        {
            while (bytes > 0)
            {
                if (_start == _end)
                {
                    await FillAsync(ct);
                }

                var take = (int)Math.Min(bytes, _end - _start);
                _start += take;
                bytes -= take;
            }
        }

        private async Task FillAsync(CancellationToken ct)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new InvalidOperationException("an answer's head is larger than 64 KiB");
            }

            var read = await Socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
            if (read == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            _end += read;
        }
    }

    /// <summary>The environment variable a <c>bench load</c> child process takes its bearer key from (not its command line).</summary>
    public const string KeyVariable = "DATAHUB_BENCH_KEY";

    /// <summary>The arguments of a <c>bench load</c> child process.</summary>
    internal static IEnumerable<string> Arguments(string baseUrl, string path, string ids, int connections, int seconds, int? rate)
    {
        yield return "bench";
        yield return "load";
        foreach (var (name, value) in new[]
                 {
                     ("--url", baseUrl), ("--path", path), ("--ids", ids),
                     ("--connections", connections.ToString(CultureInfo.InvariantCulture)), ("--seconds", seconds.ToString(CultureInfo.InvariantCulture)),
                 })
        {
            yield return name;
            yield return value;
        }

        if (rate is { } r)
        {
            yield return "--rate";
            yield return r.ToString(CultureInfo.InvariantCulture);
        }
    }
}
