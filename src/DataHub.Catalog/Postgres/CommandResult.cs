namespace DataHub.Catalog.Postgres;

/// <summary>The exit code and the combined standard output and error of an external command.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Output">Standard output followed by standard error, trimmed.</param>
internal sealed record CommandResult(int ExitCode, string Output)
{
    /// <summary>Whether the command exited with code 0.</summary>
    public bool Succeeded => ExitCode == 0;
}
