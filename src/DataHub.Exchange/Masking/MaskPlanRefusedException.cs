namespace DataHub.Exchange.Masking;

/// <summary>A request names columns that cannot be shared; <see cref="Problems"/> names each and why.</summary>
public sealed class MaskPlanRefusedException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public MaskPlanRefusedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public MaskPlanRefusedException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public MaskPlanRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception listing each refused column of a dataset.</summary>
    /// <param name="dataset">The dataset requested.</param>
    /// <param name="problems">One line per refused column.</param>
    public MaskPlanRefusedException(string dataset, IReadOnlyList<string> problems)
        : base($"{problems.Count} requested column(s) of {dataset} cannot be shared:\n  " + string.Join("\n  ", problems)) => Problems = problems;

    /// <summary>Each refused column with the reason, such as <c>citizen_id: sensitivity level 4 …</c>.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
