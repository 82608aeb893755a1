using System.Data.Common;

namespace DataHub.DuckDb;

/// <summary>The ADO.NET provider factory, for code that creates connections through <see cref="DbProviderFactory"/>.</summary>
public sealed class DuckDbProviderFactory : DbProviderFactory
{
    /// <summary>The one instance (<c>DbProviderFactories.RegisterFactory("DataHub.DuckDb", DuckDbProviderFactory.Instance)</c>).</summary>
    public static readonly DuckDbProviderFactory Instance = new();

    private DuckDbProviderFactory()
    {
    }

    /// <inheritdoc />
    public override DbCommand CreateCommand() => new DuckDbCommand();

    /// <inheritdoc />
    public override DbConnection CreateConnection() => new DuckDbConnection();

    /// <inheritdoc />
    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new DuckDbConnectionStringBuilder();

    /// <inheritdoc />
    public override DbParameter CreateParameter() => new DuckDbParameter();
}
