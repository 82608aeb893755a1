using System.Security.Cryptography;
using DataHub.Catalog.Audit;
using DataHub.Exchange.Delivery;
using DataHub.Exchange.Masking;
using DataHub.Exchange.Requests;

namespace DataHub.Host.Platform;

/// <summary>
/// The sharing exchange over a started platform: requests and approval, grants, and delivery through the exchange's
/// DuckDB views with the masks of <c>catalog/masks.yaml</c>. The keyed-hash mask's secret is
/// <c>$DATAHUB_HOME/secrets/mask.key</c> (32 random bytes made on first use, readable by the owner only): pseudonyms
/// stay stable across restarts and cannot be recomputed outside.
/// </summary>
public sealed class ExchangeComponents : IDisposable
{
    internal ExchangeComponents(DataHubPlatform platform)
    {
        var catalogDirectory = Path.Combine(platform.Settings.Root, "catalog");
        Masks = MaskFileLoader.Load(Path.Combine(catalogDirectory, MaskFileLoader.FileName), platform.Definitions);
        Requests = new ExchangeService(platform.DataSource, platform.Definitions, changes: platform.Access);
        Grants = new GrantStore(platform.DataSource, platform.Access);
        var key = MaskKey(platform.Settings.Home);
        Views = new GrantViews(platform.Definitions, Masks, key, platform.Tables, Path.Combine(platform.Settings.Home, "tmp", "exchange"));
        Delivery = new GrantDeliveryService(platform.DataSource, Grants, Views, platform.Lineage, TimeProvider.System);
        AuditWriter = new AuditWriter(platform.DataSource);
        _pseudonyms = new Pseudonymizer(key, Masks.HashLength);
        Verifier = new GrantVerifier(platform.Definitions, Grants, Views, Delivery, AuditWriter, _pseudonyms, TimeProvider.System);
    }

    /// <summary>The masks by grade.</summary>
    public MaskDefinitions Masks { get; }

    /// <summary>Requests, decisions, withdrawals, revocations and escalation.</summary>
    public ExchangeService Requests { get; }

    /// <summary>The stored grants.</summary>
    public GrantStore Grants { get; }

    /// <summary>The grants' DuckDB views.</summary>
    public GrantViews Views { get; }

    /// <summary>Query and export under grants, audited and recorded.</summary>
    public GrantDeliveryService Delivery { get; }

    /// <summary>Verification lookups under grants.</summary>
    public GrantVerifier Verifier { get; }

    /// <summary>The group-commit audit writer of high-rate calls.</summary>
    public AuditWriter AuditWriter { get; }

    private readonly Pseudonymizer _pseudonyms;

    /// <inheritdoc />
    public void Dispose()
    {
        AuditWriter.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _pseudonyms.Dispose();
        Views.Dispose();
    }

    private static byte[] MaskKey(string home)
    {
        var directory = Path.Combine(home, "secrets");
        var file = Path.Combine(directory, "mask.key");
        if (File.Exists(file))
        {
            var existing = File.ReadAllBytes(file);
            return existing.Length >= DataHub.Exchange.Masking.Masks.MinimumKeyBytes ? existing
                : throw new InvalidOperationException($"{file} holds {existing.Length} bytes; a mask key has at least {DataHub.Exchange.Masking.Masks.MinimumKeyBytes}. Delete it to make a new one (pseudonyms will change).");
        }

        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var temporary = file + ".new";
        using (var stream = OperatingSystem.IsWindows()
            ? new FileStream(temporary, FileMode.Create, FileAccess.Write)
            : new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            stream.Write(key);
        }

        try
        {
            File.Move(temporary, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process made it first: use theirs.
            File.Delete(temporary);
            return File.ReadAllBytes(file);
        }

        return key;
    }
}
