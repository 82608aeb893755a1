namespace DataHub.Catalog.Tests;

/// <summary>The test classes that share the one cluster of <see cref="PostgresFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTestGroup : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
