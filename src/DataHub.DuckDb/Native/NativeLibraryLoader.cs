using System.Reflection;
using System.Runtime.InteropServices;

namespace DataHub.DuckDb.Native;

/// <summary>
/// Resolves the library name <c>duckdb</c> used by <see cref="NativeMethods"/> to the official
/// <c>libduckdb.so</c>: <c>DATAHUB_DUCKDB_LIB</c> when set, otherwise the copy placed next to the assemblies
/// by the build (restored from the npm package <c>@duckdb/node-bindings-linux-x64</c>).
/// </summary>
internal static class NativeLibraryLoader
{
    internal const string LibraryName = "duckdb";
    internal const string PathVariable = "DATAHUB_DUCKDB_LIB";

    internal static void Register(Assembly assembly) => NativeLibrary.SetDllImportResolver(assembly, Resolve);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        string.Equals(libraryName, LibraryName, StringComparison.Ordinal)
            ? NativeLibrary.Load(Locate(Environment.GetEnvironmentVariable(PathVariable), assembly))
            : 0;

    /// <summary>The library file to load, or a <see cref="DllNotFoundException"/> saying how to get one.</summary>
    internal static string Locate(string? overridePath, Assembly assembly)
    {
        var candidates = Candidates(overridePath, assembly).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? throw new DllNotFoundException(
            "DataHub could not find the DuckDB native library (libduckdb.so). Looked in: " +
            string.Join(", ", candidates) + ". " +
            "Restore it with 'npm ci' in the repository root (package @duckdb/node-bindings-linux-x64, pinned in package.json), " +
            "rebuild so it is copied next to the assemblies, or set " + PathVariable + " to the full path of a DuckDB 1.5.x libduckdb.so.");
    }

    private static IEnumerable<string> Candidates(string? overridePath, Assembly assembly)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            // An explicit override is the only candidate: silently falling back would hide a misconfiguration.
            yield return Path.GetFullPath(overridePath);
            yield break;
        }

        yield return Path.Combine(AppContext.BaseDirectory, "libduckdb.so");
        var assemblyDirectory = Path.GetDirectoryName(assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            yield return Path.Combine(assemblyDirectory, "libduckdb.so");
        }
    }
}
