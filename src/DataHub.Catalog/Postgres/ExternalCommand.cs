using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DataHub.Catalog.Postgres;

/// <summary>
/// One external program invocation, built from an argument list (never a shell string), optionally run as
/// another account through <c>runuser</c> because PostgreSQL refuses to run as root.
/// </summary>
internal sealed class ExternalCommand
{
    private readonly string fileName;
    private readonly IReadOnlyList<string> arguments;
    private readonly string? runAs;

    /// <summary>Creates a command.</summary>
    /// <param name="fileName">The program, a full path or a name looked up on PATH.</param>
    /// <param name="arguments">Its arguments, passed through unchanged.</param>
    /// <param name="runAs">When not null, the account to run the program as (through <c>runuser -u</c>).</param>
    public ExternalCommand(string fileName, IReadOnlyList<string> arguments, string? runAs = null)
    {
        this.fileName = fileName;
        this.arguments = arguments;
        this.runAs = runAs;
    }

    /// <summary>A readable rendering of the command for logs and error messages.</summary>
    public string Display
    {
        get
        {
            var text = fileName + " " + string.Join(' ', arguments);
            return runAs is null ? text : $"runuser -u {runAs} -- {text}";
        }
    }

    /// <summary>Runs the command to completion.</summary>
    /// <param name="timeout">How long it may run before it is killed.</param>
    /// <param name="ct">Cancels the wait (the process is killed).</param>
    public async Task<CommandResult> RunAsync(TimeSpan timeout, CancellationToken ct)
    {
        var output = new StringBuilder();
        using var process = Start(output);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            ct.ThrowIfCancellationRequested();
            throw new PrivatePostgresException(
                $"'{Display}' did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was killed. Output: {Snapshot(output)}");
        }

        return new CommandResult(process.ExitCode, Snapshot(output));
    }

    /// <summary>Runs the command to completion, blocking the calling thread (used at process exit).</summary>
    /// <param name="timeout">How long it may run before it is killed.</param>
    public CommandResult Run(TimeSpan timeout)
    {
        var output = new StringBuilder();
        using var process = Start(output);
        if (!process.WaitForExit(timeout))
        {
            Kill(process);
            throw new PrivatePostgresException(
                $"'{Display}' did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was killed. Output: {Snapshot(output)}");
        }

        // The parameterless overload waits for the redirected streams to be drained.
        process.WaitForExit();
        return new CommandResult(process.ExitCode, Snapshot(output));
    }

    private Process Start(StringBuilder output)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,

            // The service account may not be able to enter the caller's working directory.
            WorkingDirectory = Path.GetPathRoot(Environment.CurrentDirectory) ?? "/",
        };
        if (runAs is null)
        {
            info.FileName = fileName;
        }
        else
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(runAs);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new PrivatePostgresException($"Could not run '{Display}': {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString().Trim();
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }
}
