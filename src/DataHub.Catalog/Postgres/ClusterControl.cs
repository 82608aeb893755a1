using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataHub.Catalog.Postgres;

/// <summary>
/// The operations on one cluster directory: initialise, configure, start, probe, stop. Stateless apart from
/// its settings; <see cref="PrivatePostgres"/> decides when to call what, holding <see cref="ClusterLock"/>.
/// </summary>
internal sealed partial class ClusterControl
{
    private const string PortFileName = "datahub.port";
    private const string SettingsFileName = "datahub.conf";
    private const string PidFileName = "postmaster.pid";
    private const string ServerLogFileName = "server.log";
    private const string IncludeLine = "include_if_exists = 'datahub.conf'";
    private const string CannotConnectNow = "57P03";
    private const int StartAttempts = 3;
    private const int LogTailLines = 30;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ShortCommandTimeout = TimeSpan.FromSeconds(30);

    private readonly PostgresBinaries binaries;
    private readonly string? runAs;
    private readonly PrivatePostgresOptions options;
    private readonly ILogger logger;

    /// <summary>Creates the control for a directory.</summary>
    /// <param name="directory">The full path of the cluster directory.</param>
    /// <param name="binaries">The server binaries.</param>
    /// <param name="runAs">The account to run the server as, or null to run it as the current user.</param>
    /// <param name="options">The cluster options.</param>
    /// <param name="logger">Where progress goes.</param>
    public ClusterControl(string directory, PostgresBinaries binaries, string? runAs, PrivatePostgresOptions options, ILogger logger)
    {
        Directory = directory;
        this.binaries = binaries;
        this.runAs = runAs;
        this.options = options;
        this.logger = logger;
    }

    /// <summary>The full path of the cluster directory.</summary>
    public string Directory { get; }

    /// <summary>The server log written by <c>pg_ctl start -l</c>.</summary>
    public string ServerLog => Path.Combine(Directory, ServerLogFileName);

    /// <summary>Whether <c>initdb</c> has run on the directory.</summary>
    public bool IsInitialised => File.Exists(Path.Combine(Directory, "PG_VERSION"));

    /// <summary>Whether a postmaster lock file exists (a server runs, or crashed and left it).</summary>
    public bool HasPidFile => File.Exists(PidFile);

    private string PidFile => Path.Combine(Directory, PidFileName);

    private string PortFile => Path.Combine(Directory, PortFileName);

    /// <summary>A connection string for the cluster superuser.</summary>
    /// <param name="port">The server port.</param>
    /// <param name="database">The database.</param>
    /// <param name="probe">True for a short-lived check: no pooling, short timeout.</param>
    public string ConnectionString(int port, string database, bool probe = false)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = port,
            Username = options.SuperUser,
            Database = database,
        };
        if (probe)
        {
            builder.Pooling = false;
            builder.Timeout = 3;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// The port of the running server: line 4 of <c>postmaster.pid</c> (written by the server itself), else the
    /// port this class recorded in <c>datahub.port</c>.
    /// </summary>
    public int? ReadRunningPort()
    {
        try
        {
            if (File.Exists(PidFile))
            {
                var lines = File.ReadAllLines(PidFile);
                if (lines.Length >= 4 && TryParsePort(lines[3], out var fromPid))
                {
                    return fromPid;
                }
            }
        }
        catch (IOException)
        {
            // Being rewritten by a starting or stopping server; fall back to our own record.
        }

        return ReadPortFile();
    }

    /// <summary>Whether the server at the port accepts connections as the superuser now.</summary>
    /// <param name="port">The port.</param>
    /// <param name="ct">Cancels the check.</param>
    /// <exception cref="PrivatePostgresException">The server answered with an error other than "starting up".</exception>
    public async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString(port, "postgres", probe: true));
            await connection.OpenAsync(ct);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState != CannotConnectNow)
        {
            throw new PrivatePostgresException(
                $"The PostgreSQL server of {Directory} on port {port} refused the superuser '{options.SuperUser}': {ex.MessageText}",
                ex);
        }
        catch (NpgsqlException)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Asks <c>pg_ctl status</c> whether a server runs on the directory.</summary>
    /// <param name="ct">Cancels the check.</param>
    public async Task<bool> IsRunningAsync(CancellationToken ct)
    {
        var result = await PgCtl("status", "-D", Directory).RunAsync(ShortCommandTimeout, ct);
        return result.Succeeded;
    }

    /// <summary>Waits until the server accepts connections, or fails with the tail of its log.</summary>
    /// <param name="port">The port.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task WaitForConnectionsAsync(int port, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + options.StartTimeout;
        while (!await AcceptsConnectionsAsync(port, ct))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new PrivatePostgresException(
                    $"The PostgreSQL server of {Directory} did not accept connections on 127.0.0.1:{port} within "
                    + $"{options.StartTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.{LogTail(0)}");
            }

            await Task.Delay(ProbeInterval, ct);
        }
    }

    /// <summary>Runs <c>initdb</c> (UTF-8, C locale, trust on loopback only) and hooks <c>datahub.conf</c> in.</summary>
    /// <param name="ct">Cancels the command.</param>
    public async Task InitAsync(CancellationToken ct)
    {
        LogInitialising(logger, Directory, binaries.Directory);
        if (runAs is not null && !OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
            GrantAccess();
            await ChownAsync(ct, "-R", Directory);
        }

        var arguments = new List<string>
        {
            "-D", Directory,
            "-U", options.SuperUser,
            "-E", "UTF8",
            "--locale=C",
            "--auth-local=trust",
            "--auth-host=trust",
        };
        if (options.Ephemeral)
        {
            arguments.Add("--no-sync");
        }

        var command = new ExternalCommand(binaries.InitDb, arguments, runAs);
        var result = await command.RunAsync(TimeSpan.FromMinutes(5), ct);
        if (!result.Succeeded)
        {
            throw new PrivatePostgresException(
                $"'{command.Display}' failed with exit code {result.ExitCode}:{Environment.NewLine}{result.Output}");
        }

        // postgresql.conf belongs to the cluster; per-start settings go to a file it includes.
        var mainConfig = Path.Combine(Directory, "postgresql.conf");
        var text = await File.ReadAllTextAsync(mainConfig, ct);
        if (!text.Contains(IncludeLine, StringComparison.Ordinal))
        {
            await File.AppendAllTextAsync(
                mainConfig,
                $"{Environment.NewLine}# DataHub writes datahub.conf (port, listen address) on every start.{Environment.NewLine}{IncludeLine}{Environment.NewLine}",
                ct);
        }
    }

    /// <summary>
    /// Chooses a free loopback port (the recorded one when still free), writes the settings and starts the
    /// server with <c>pg_ctl start -w</c>; retries with another port when the chosen one was taken meanwhile.
    /// </summary>
    /// <param name="ct">Cancels the start.</param>
    /// <returns>The port the server listens on.</returns>
    public async Task<int> StartAsync(CancellationToken ct)
    {
        if (runAs is not null && !OperatingSystem.IsWindows())
        {
            GrantAccess();
        }

        var recorded = ReadPortFile();
        for (var attempt = 1; ; attempt++)
        {
            var port = attempt == 1 && recorded is int previous && IsFree(previous) ? previous : FreePort();
            await WriteSettingsAsync(port, ct);
            var logOffset = File.Exists(ServerLog) ? new FileInfo(ServerLog).Length : 0;
            LogStarting(logger, Directory, port);
            var seconds = Math.Max(1, (int)Math.Ceiling(options.StartTimeout.TotalSeconds));
            var command = PgCtl(
                "start", "-D", Directory, "-l", ServerLog, "-w", "-s",
                "-t", seconds.ToString(CultureInfo.InvariantCulture));
            var result = await command.RunAsync(options.StartTimeout + ShortCommandTimeout, ct);
            if (result.Succeeded)
            {
                try
                {
                    await WaitForConnectionsAsync(port, ct);
                }
                catch (Exception ex) when (ex is PrivatePostgresException or OperationCanceledException)
                {
                    // Nobody will own a server that never answered: stop it rather than leave it behind.
                    await PgCtl("stop", "-D", Directory, "-m", "immediate", "-w", "-s").RunAsync(StopTimeout, CancellationToken.None);
                    throw;
                }

                return port;
            }

            var tail = LogTail(logOffset);
            if (HasPidFile)
            {
                // Timed out while still starting: do not leave a half-started server behind.
                await PgCtl("stop", "-D", Directory, "-m", "immediate", "-w", "-s").RunAsync(StopTimeout, ct);
            }

            if (attempt < StartAttempts && tail.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                LogPortTaken(logger, port);
                continue;
            }

            throw new PrivatePostgresException(
                $"'{command.Display}' failed with exit code {result.ExitCode}: {result.Output}{tail}");
        }
    }

    /// <summary>Creates the configured database when it does not exist yet.</summary>
    /// <param name="port">The server port.</param>
    /// <param name="ct">Cancels the work.</param>
    public async Task EnsureDatabaseAsync(int port, CancellationToken ct)
    {
        if (options.Database == "postgres")
        {
            return;
        }

        await using var connection = new NpgsqlConnection(ConnectionString(port, "postgres", probe: true));
        await connection.OpenAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", connection))
        {
            exists.Parameters.AddWithValue("name", options.Database);
            if ((bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return;
            }
        }

        LogCreatingDatabase(logger, options.Database);
        await using var create = new NpgsqlCommand(CreateDatabaseStatement(options.Database), connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The statement creating a database whose name was checked to be a plain identifier.</summary>
    /// <param name="database">The database name.</param>
    public static string CreateDatabaseStatement(string database)
    {
        if (!PlainIdentifier().IsMatch(database))
        {
            throw new ArgumentException($"'{database}' is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*).", nameof(database));
        }

        return $"CREATE DATABASE \"{database}\"";
    }

    /// <summary>Checks the names in the options that end up in SQL or in the server configuration.</summary>
    /// <param name="options">The options to check.</param>
    /// <exception cref="ArgumentException">A name is not a plain identifier.</exception>
    public static void Validate(PrivatePostgresOptions options)
    {
        if (!PlainIdentifier().IsMatch(options.Database) || !PlainIdentifier().IsMatch(options.SuperUser))
        {
            throw new ArgumentException(
                $"Database '{options.Database}' and super user '{options.SuperUser}' must be plain identifiers ([A-Za-z_][A-Za-z0-9_]*).",
                nameof(options));
        }

        foreach (var name in options.Settings.Keys)
        {
            if (!SettingName().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a PostgreSQL setting name.", nameof(options));
            }
        }
    }

    /// <summary>Stops the server with <c>pg_ctl stop -m fast</c> when it runs.</summary>
    /// <param name="ct">Cancels the wait.</param>
    public async Task StopAsync(CancellationToken ct)
    {
        if (!HasPidFile)
        {
            return;
        }

        LogStopping(logger, Directory);
        var command = StopCommand();
        var result = await command.RunAsync(StopTimeout, ct);
        ThrowIfStillRunning(command, result);
    }

    /// <summary>Stops the server, blocking the calling thread (used at process exit).</summary>
    public void Stop()
    {
        if (!HasPidFile)
        {
            return;
        }

        LogStopping(logger, Directory);
        var command = StopCommand();
        ThrowIfStillRunning(command, command.Run(StopTimeout));
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainIdentifier();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.]*$")]
    private static partial Regex SettingName();

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private int? ReadPortFile()
    {
        try
        {
            return File.Exists(PortFile) && TryParsePort(File.ReadAllText(PortFile), out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task WriteSettingsAsync(int port, CancellationToken ct)
    {
        var settings = new StringBuilder()
            .AppendLine("# Written by DataHub on every start of this cluster; edits here are overwritten.")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine(CultureInfo.InvariantCulture, $"port = {port}")
            .AppendLine("# TCP on loopback only: no Unix socket, so the length of the cluster path does not matter.")
            .AppendLine("unix_socket_directories = ''");
        if (options.Ephemeral)
        {
            settings.AppendLine("fsync = off").AppendLine("synchronous_commit = off").AppendLine("full_page_writes = off");
        }

        foreach (var (name, value) in options.Settings)
        {
            settings.AppendLine(CultureInfo.InvariantCulture, $"{name} = {Quote(value)}");
        }

        var settingsFile = Path.Combine(Directory, SettingsFileName);
        await File.WriteAllTextAsync(settingsFile, settings.ToString(), ct);
        await File.WriteAllTextAsync(PortFile, port.ToString(CultureInfo.InvariantCulture) + "\n", ct);
        if (runAs is not null)
        {
            await ChownAsync(ct, settingsFile, PortFile);
        }
    }

    private ExternalCommand StopCommand() => PgCtl("stop", "-D", Directory, "-m", "fast", "-w", "-s", "-t", "60");

    private void ThrowIfStillRunning(ExternalCommand command, CommandResult result)
    {
        if (!result.Succeeded && HasPidFile)
        {
            throw new PrivatePostgresException(
                $"'{command.Display}' failed with exit code {result.ExitCode}: {result.Output}{LogTail(0)}");
        }
    }

    private ExternalCommand PgCtl(params string[] arguments) => new(binaries.PgCtl, arguments, runAs);

    private async Task ChownAsync(CancellationToken ct, params string[] arguments)
    {
        var command = new ExternalCommand("chown", [runAs + ":", .. arguments]);
        var result = await command.RunAsync(ShortCommandTimeout, ct);
        if (!result.Succeeded)
        {
            throw new PrivatePostgresException($"'{command.Display}' failed with exit code {result.ExitCode}: {result.Output}");
        }
    }

    /// <summary>
    /// Running as root, the server runs as the service account, which must be able to traverse every parent
    /// of the cluster directory: add o+x where it is missing, and say so.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private void GrantAccess()
    {
        for (var parent = Path.GetDirectoryName(Directory); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            var mode = File.GetUnixFileMode(parent);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                LogGrantingTraversal(logger, parent, runAs!);
                File.SetUnixFileMode(parent, mode | UnixFileMode.OtherExecute);
            }
        }
    }

    private string LogTail(long offset)
    {
        try
        {
            if (!File.Exists(ServerLog))
            {
                return string.Empty;
            }

            using var stream = new FileStream(ServerLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (offset > 0 && offset <= stream.Length)
            {
                stream.Seek(offset, SeekOrigin.Begin);
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var tail = lines.Skip(Math.Max(0, lines.Length - LogTailLines));
            return $"{Environment.NewLine}Server log {ServerLog}, last lines:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Initialising PostgreSQL cluster {Directory} with {BinDirectory}")]
    private static partial void LogInitialising(ILogger logger, string directory, string binDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting PostgreSQL cluster {Directory} on 127.0.0.1:{Port}")]
    private static partial void LogStarting(ILogger logger, string directory, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Port {Port} was taken before PostgreSQL could bind it; trying another")]
    private static partial void LogPortTaken(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating database {Database}")]
    private static partial void LogCreatingDatabase(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping PostgreSQL cluster {Directory}")]
    private static partial void LogStopping(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adding o+x to {Directory} so that the account {Account} can reach the PostgreSQL cluster below it")]
    private static partial void LogGrantingTraversal(ILogger logger, string directory, string account);
}
