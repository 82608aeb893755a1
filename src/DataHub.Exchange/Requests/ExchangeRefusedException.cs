namespace DataHub.Exchange.Requests;

/// <summary>An exchange action was refused; the attempt was audited. Every problem is named.</summary>
public sealed class ExchangeRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problems">Each reason, prefixed by the field it concerns where there is one.</param>
    public ExchangeRefusedException(IReadOnlyList<string> problems)
        : this(problems, ExchangeRefusal.Invalid) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="problems">Each reason, prefixed by the field it concerns where there is one.</param>
    /// <param name="kind">What kind of refusal it is.</param>
    public ExchangeRefusedException(IReadOnlyList<string> problems, ExchangeRefusal kind)
        : base("Refused: " + string.Join("; ", problems))
    {
        Problems = problems;
        Kind = kind;
    }

    /// <summary>Creates the exception with the kind of refusal.</summary>
    /// <param name="kind">Why it was refused: invalid input, not allowed, unknown, wrong state.</param>
    /// <param name="problems">Each reason, prefixed by the field it concerns where there is one.</param>
    public ExchangeRefusedException(ExchangeRefusal kind, IReadOnlyList<string> problems)
        : this(problems, kind) { }

    /// <summary>Creates the exception.</summary>
    public ExchangeRefusedException()
        : this([]) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The reason.</param>
    public ExchangeRefusedException(string message)
        : this([message]) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The reason.</param>
    /// <param name="innerException">The cause.</param>
    public ExchangeRefusedException(string message, Exception innerException)
        : base(message, innerException) => Problems = [message];

    /// <summary>What kind of refusal it is.</summary>
    public ExchangeRefusal Kind { get; }

    /// <summary>Every reason for the refusal.</summary>
    public IReadOnlyList<string> Problems { get; }
}
