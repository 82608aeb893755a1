namespace DataHub.Exchange.Requests;

/// <summary>The states of a request, as stored.</summary>
public static class ExchangeStatus
{
    /// <summary>Waiting for the provider.</summary>
    public const string Filed = "filed";

    /// <summary>The provider approved; waiting for the bureau (sensitivity level 3 and up).</summary>
    public const string ApprovedByProvider = "approved_by_provider";

    /// <summary>A grant exists.</summary>
    public const string Granted = "granted";

    /// <summary>A decider rejected it, with reasons.</summary>
    public const string Rejected = "rejected";

    /// <summary>Refused at filing: the dataset is not shareable.</summary>
    public const string Refused = "refused";

    /// <summary>The requesting department withdrew it.</summary>
    public const string Withdrawn = "withdrawn";

    /// <summary>The provider did not answer in time; the bureau is to act.</summary>
    public const string Escalated = "escalated";
}
