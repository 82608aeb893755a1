namespace DataHub.Catalog.Lineage;

/// <summary>The run state transitions of an OpenLineage RunEvent (<c>eventType</c>).</summary>
public enum LineageEventType
{
    /// <summary>The run started (<c>START</c>).</summary>
    Start,

    /// <summary>The run is still going; more metadata (<c>RUNNING</c>).</summary>
    Running,

    /// <summary>The run finished and its outputs are committed (<c>COMPLETE</c>).</summary>
    Complete,

    /// <summary>The run was stopped before it finished (<c>ABORT</c>).</summary>
    Abort,

    /// <summary>The run failed (<c>FAIL</c>).</summary>
    Fail,

    /// <summary>Additional metadata after the fact (<c>OTHER</c>).</summary>
    Other,
}
