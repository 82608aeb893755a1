namespace DataHub.Catalog;

/// <summary>The state of an ingest run.</summary>
public enum IngestRunStatus
{
    /// <summary>Registered and not finished yet.</summary>
    Running,

    /// <summary>Finished; every row read was committed or quarantined.</summary>
    Succeeded,

    /// <summary>Finished with an error; nothing of it was committed.</summary>
    Failed,

    /// <summary>Its process died while it ran (found by the next run of the pipeline); nothing of it was committed.</summary>
    Abandoned,
}
