namespace DataHub.Host.Tests;

/// <summary>Collects output and completes a task when a line containing a marker is written.</summary>
internal sealed class SignallingWriter(string marker) : StringWriter
{
    private readonly TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();

    public Task Signalled => _signal.Task;

    public override Task WriteLineAsync(string? value)
    {
        lock (_lock)
        {
            base.WriteLine(value);
        }

        if (value?.Contains(marker, StringComparison.Ordinal) == true)
        {
            _signal.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return base.ToString();
        }
    }
}
