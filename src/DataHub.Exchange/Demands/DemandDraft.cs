namespace DataHub.Exchange.Demands;

/// <summary>A department's need for data the catalog does not hold yet.</summary>
/// <param name="Title">A short name of the need.</param>
/// <param name="Description">What data is needed, in the department's words.</param>
/// <param name="WantedFields">The fields wanted, as free-text names (nothing is catalogued to name them by).</param>
/// <param name="Purpose">What the data is for.</param>
/// <param name="LegalBasis">The duty or law the use rests on.</param>
public sealed record DemandDraft(
    string Title,
    string Description,
    IReadOnlyList<string> WantedFields,
    string Purpose,
    string LegalBasis);
