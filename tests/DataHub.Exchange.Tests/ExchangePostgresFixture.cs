using DataHub.Catalog;
using DataHub.Catalog.Postgres;
using Npgsql;

namespace DataHub.Exchange.Tests;

/// <summary>
/// A private PostgreSQL cluster with the catalog schema migrated and the catalog applied (as the platform does), the
/// repository's catalog copied to a temporary folder with one extra, not-shareable dataset (the real catalog has none yet).
/// </summary>
public sealed class ExchangePostgresFixture : IAsyncLifetime
{
    public const string NotShareableDataset = "health.medical_record";

    public const string LegalBasis = "《中华人民共和国基本医疗卫生与健康促进法》第九十二条：个人健康信息不得非法提供。";

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"datahub-exchange-tests-{Guid.NewGuid().ToString("N")[..8]}");

    private PrivatePostgres _server = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public CatalogDefinitions Catalog { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var source = CatalogDefinitions.FindDirectory();
        var target = Path.Combine(_root, "catalog");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        await File.WriteAllTextAsync(Path.Combine(target, "datasets", NotShareableDataset + ".yaml"), $"""
            name: {NotShareableDataset}
            title: 门诊病历摘要
            provider: health
            share_type: not_shareable
            share_condition: {LegalBasis}
            sensitivity: 3
            importance: important
            columns:
              - name: record_no
                type: VARCHAR
              - name: visit_date
                type: DATE
            """);
        Catalog = CatalogDefinitions.Load(target);

        _server = await PrivatePostgres.StartAsync(Path.Combine(_root, "pg"), new PrivatePostgresOptions
        {
            Ephemeral = true,
            StartTimeout = TimeSpan.FromSeconds(30),
            LockTimeout = TimeSpan.FromSeconds(60),
        });
        await using (var admin = new NpgsqlConnection(_server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE exchange", admin);
            await create.ExecuteNonQueryAsync();
        }

        DataSource = NpgsqlDataSource.Create(_server.ConnectionStringFor("exchange"));
        await Migrator.ApplyAsync(DataSource, null, CancellationToken.None);
        await CatalogLoader.ApplyAsync(DataSource, Catalog, null, CancellationToken.None);
    }

    /// <summary>Catalogues one more dataset (a definition file in the copied catalog, then an apply), as a provider would.</summary>
    public async Task CatalogueAsync(string name, string provider, string title)
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "catalog", "datasets", name + ".yaml"), $"""
            name: {name}
            title: {title}
            provider: {provider}
            share_type: conditional
            share_condition: 仅限履职使用
            sensitivity: 2
            importance: general
            columns:
              - name: record_no
                type: VARCHAR
            """);
        Catalog = CatalogDefinitions.Load(Path.Combine(_root, "catalog"));
        await CatalogLoader.ApplyAsync(DataSource, Catalog, null, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
