using DataHub.Catalog.Postgres;

namespace DataHub.Catalog.Tests;

/// <summary>Temporary directories for test clusters and catalog copies, and the options test clusters use.</summary>
internal static class TestDirectories
{
    /// <summary>Throw-away clusters: no fsync, short timeouts, binaries from the usual places but not from the environment.</summary>
    public static PrivatePostgresOptions FastOptions { get; } = new()
    {
        Ephemeral = true,
        StartTimeout = TimeSpan.FromSeconds(30),
        LockTimeout = TimeSpan.FromSeconds(60),
    };

    public static string Create(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"datahub-catalog-tests-{purpose}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Copies the repository's catalog folder so a test can change it.</summary>
    public static string CopyCatalog(string purpose)
    {
        var source = CatalogDefinitions.FindDirectory();
        var target = Path.Combine(Create(purpose), "catalog");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
