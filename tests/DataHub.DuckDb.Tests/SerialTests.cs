namespace DataHub.DuckDb.Tests;

/// <summary>Marks tests that measure the process (memory) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTests
{
    public const string Name = "serial";
}
