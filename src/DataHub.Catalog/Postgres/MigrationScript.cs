namespace DataHub.Catalog.Postgres;

/// <summary>One numbered schema migration, embedded in the assembly as <c>Migrations/NNNN_name.sql</c>.</summary>
/// <param name="Version">The number from the file name; migrations run in ascending order.</param>
/// <param name="Name">The rest of the file name, without the extension.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
public sealed record MigrationScript(int Version, string Name, string Sql);
