namespace DataHub.Exchange.Demands;

/// <summary>A data demand as it stands.</summary>
/// <param name="Id">The demand's id.</param>
/// <param name="RequestingDepartment">The department that posted it.</param>
/// <param name="RequestingUser">Who posted it.</param>
/// <param name="Title">A short name of the need.</param>
/// <param name="Description">What data is needed.</param>
/// <param name="WantedFields">The fields wanted, free-text names.</param>
/// <param name="Purpose">What the data is for.</param>
/// <param name="LegalBasis">The duty or law the use rests on.</param>
/// <param name="Status">Its state (see <see cref="DemandStatus"/>).</param>
/// <param name="AssignedProvider">The department assigned to provide the data, once assigned.</param>
/// <param name="AssignedBy">The bureau administrator who assigned it.</param>
/// <param name="DueDate">When the provider is to have fulfilled it, if the bureau set a date.</param>
/// <param name="FulfilledDataset">The catalogued dataset that fulfils it, once fulfilled.</param>
/// <param name="StatusReason">The note or reason given with the latest change (a decline's reason).</param>
/// <param name="PostedAt">When it was posted (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Overdue">Assigned or in progress with its due date passed.</param>
public sealed record Demand(
    long Id,
    string RequestingDepartment,
    string RequestingUser,
    string Title,
    string Description,
    IReadOnlyList<string> WantedFields,
    string Purpose,
    string LegalBasis,
    string Status,
    string? AssignedProvider,
    string? AssignedBy,
    DateOnly? DueDate,
    string? FulfilledDataset,
    string? StatusReason,
    DateTime PostedAt,
    DateTime UpdatedAt,
    bool Overdue);
