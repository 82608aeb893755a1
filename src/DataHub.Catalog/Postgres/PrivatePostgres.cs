using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataHub.Catalog.Postgres;

/// <summary>
/// A private PostgreSQL cluster in a directory of its own, started with the machine's <c>initdb</c> and
/// <c>pg_ctl</c> on a free loopback port. When the cluster already runs (another process or an earlier
/// instance started it), this instance connects to it and leaves it running when disposed; the instance that
/// started it stops it when disposed or when its process exits normally.
/// </summary>
/// <remarks>
/// Authentication is <c>trust</c> for loopback TCP only and the server listens on 127.0.0.1 only; there is no
/// Unix socket. When the current user is root, the server runs as <see cref="PrivatePostgresOptions.ServiceAccount"/>
/// through <c>runuser</c>, because PostgreSQL refuses to run as root.
/// </remarks>
public sealed partial class PrivatePostgres : IAsyncDisposable, IDisposable
{
    private readonly ClusterControl control;
    private readonly PrivatePostgresOptions options;
    private readonly ILogger logger;
    private readonly EventHandler? stopAtExit;
    private int stopped;

    private PrivatePostgres(ClusterControl control, int port, bool startedByThisProcess, PrivatePostgresOptions options, ILogger logger)
    {
        this.control = control;
        this.options = options;
        this.logger = logger;
        Port = port;
        StartedByThisProcess = startedByThisProcess;
        ConnectionString = control.ConnectionString(port, options.Database);
        if (startedByThisProcess)
        {
            stopAtExit = (_, _) => StopAtProcessExit();
            AppDomain.CurrentDomain.ProcessExit += stopAtExit;
        }
    }

    /// <summary>The full path of the cluster directory.</summary>
    public string ClusterDirectory => control.Directory;

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>
    /// An Npgsql connection string for the cluster superuser and the configured database
    /// (<c>Host=127.0.0.1;Port=…;Username=datahub;Database=datahub</c> by default).
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>True when this instance started the server (and so stops it); false when it found it running.</summary>
    public bool StartedByThisProcess { get; }

    /// <summary>The server log file in the cluster directory.</summary>
    public string ServerLog => control.ServerLog;

    /// <summary>Starts (initialising first if needed) or reuses the cluster in a directory, with default options.</summary>
    /// <param name="clusterDirectory">The cluster directory; created when missing.</param>
    /// <param name="logger">Where progress goes; null for none.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <returns>The running cluster.</returns>
    /// <exception cref="PrivatePostgresException">Binaries missing, or the server could not be initialised or started.</exception>
    public static Task<PrivatePostgres> StartAsync(string clusterDirectory, ILogger? logger = null, CancellationToken ct = default) =>
        StartAsync(clusterDirectory, new PrivatePostgresOptions(), logger, ct);

    /// <summary>Starts (initialising first if needed) or reuses the cluster in a directory.</summary>
    /// <param name="clusterDirectory">The cluster directory; created when missing.</param>
    /// <param name="options">Binary directory, timeouts, accounts and extra settings.</param>
    /// <param name="logger">Where progress goes; null for none.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <returns>The running cluster.</returns>
    /// <exception cref="PrivatePostgresException">Binaries missing, or the server could not be initialised or started.</exception>
    public static async Task<PrivatePostgres> StartAsync(
        string clusterDirectory,
        PrivatePostgresOptions options,
        ILogger? logger = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterDirectory);
        ArgumentNullException.ThrowIfNull(options);
        var log = logger ?? NullLogger.Instance;
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(clusterDirectory));
        ClusterControl.Validate(options);

        var binaries = PostgresBinaries.Locate(options, directory);
        var runAs = IsRoot() ? options.ServiceAccount : null;
        var control = new ClusterControl(directory, binaries, runAs, options, log);
        LogBinaries(log, binaries.Directory, binaries.FoundBy, runAs ?? Environment.UserName);

        var parent = Path.GetDirectoryName(directory);
        if (parent is not null)
        {
            Directory.CreateDirectory(parent);
        }

        using var clusterLock = await ClusterLock.AcquireAsync(
            ClusterLock.PathFor(directory), options.LockTimeout, () => LogWaitingForLock(log, directory), ct);

        if (control.IsInitialised && control.HasPidFile)
        {
            var running = control.ReadRunningPort();
            if (running is int port && await control.AcceptsConnectionsAsync(port, ct))
            {
                return await ReuseAsync(control, port, options, log, ct);
            }

            if (await control.IsRunningAsync(ct))
            {
                // Still starting (or just restarted): wait for it rather than start a second server.
                port = control.ReadRunningPort()
                    ?? throw new PrivatePostgresException($"The PostgreSQL server of {directory} runs but its port is unknown.");
                await control.WaitForConnectionsAsync(port, ct);
                return await ReuseAsync(control, port, options, log, ct);
            }

            // A stale postmaster.pid from a crash: the server checks and replaces it on start.
        }

        if (!control.IsInitialised)
        {
            await control.InitAsync(ct);
        }

        var startedPort = await control.StartAsync(ct);
        try
        {
            await control.EnsureDatabaseAsync(startedPort, ct);
        }
        catch
        {
            await control.StopAsync(CancellationToken.None);
            throw;
        }

        LogStarted(log, directory, startedPort);
        return new PrivatePostgres(control, startedPort, startedByThisProcess: true, options, log);
    }

    /// <summary>A connection string for another database of the same cluster (same host, port and user).</summary>
    /// <param name="database">The database name.</param>
    public string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>
    /// Stops the server with <c>pg_ctl stop -m fast</c> when this instance started it; otherwise does nothing.
    /// Calling it again does nothing.
    /// </summary>
    /// <param name="ct">Cancels the wait for the lock and for <c>pg_ctl</c>.</param>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (!StartedByThisProcess || Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= stopAtExit;
        using var clusterLock = await ClusterLock.AcquireAsync(
            ClusterLock.PathFor(control.Directory), options.LockTimeout, () => LogWaitingForLock(logger, control.Directory), ct);
        await control.StopAsync(ct);
    }

    /// <summary>Stops the server when this instance started it (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Stops the server when this instance started it, blocking the calling thread.</summary>
    public void Dispose()
    {
        if (!StartedByThisProcess || Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= stopAtExit;
        using var clusterLock = ClusterLock.Acquire(ClusterLock.PathFor(control.Directory), options.LockTimeout);
        control.Stop();
    }

    private static async Task<PrivatePostgres> ReuseAsync(
        ClusterControl control, int port, PrivatePostgresOptions options, ILogger log, CancellationToken ct)
    {
        await control.EnsureDatabaseAsync(port, ct);
        LogReusing(log, control.Directory, port);
        return new PrivatePostgres(control, port, startedByThisProcess: false, options, log);
    }

    /// <summary>Whether this process runs as root, where PostgreSQL must be run as another account.</summary>
    private static bool IsRoot() =>
        !OperatingSystem.IsWindows() && (Environment.UserName == "root" || Environment.UserName == "0");

    private void StopAtProcessExit()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        try
        {
            using var clusterLock = ClusterLock.Acquire(ClusterLock.PathFor(control.Directory), TimeSpan.FromSeconds(10));
            control.Stop();
        }
        catch (PrivatePostgresException ex)
        {
            LogStopAtExitFailed(logger, ex, control.Directory);
        }
        catch (IOException ex)
        {
            LogStopAtExitFailed(logger, ex, control.Directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "PostgreSQL binaries {BinDirectory} (found by {FoundBy}); server runs as {Account}")]
    private static partial void LogBinaries(ILogger logger, string binDirectory, string foundBy, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for another process to finish starting or stopping PostgreSQL cluster {Directory}")]
    private static partial void LogWaitingForLock(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started PostgreSQL cluster {Directory} on 127.0.0.1:{Port}")]
    private static partial void LogStarted(ILogger logger, string directory, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL cluster {Directory} already runs on 127.0.0.1:{Port}; using it and leaving it running")]
    private static partial void LogReusing(ILogger logger, string directory, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not stop PostgreSQL cluster {Directory} at process exit")]
    private static partial void LogStopAtExitFailed(ILogger logger, Exception exception, string directory);
}
