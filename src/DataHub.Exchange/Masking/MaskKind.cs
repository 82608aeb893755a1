namespace DataHub.Exchange.Masking;

/// <summary>How a column's values are shown to a requester.</summary>
public enum MaskKind
{
    /// <summary>As they are.</summary>
    Plain,

    /// <summary>The first and last characters kept, the rest replaced by <c>*</c>.</summary>
    Keep,

    /// <summary>An address cut at the township or county.</summary>
    Address,

    /// <summary>A keyed hash: a stable pseudonym.</summary>
    Hash,

    /// <summary>Not shown at all (NULL).</summary>
    Redact,
}
