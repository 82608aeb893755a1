namespace DataHub.Exchange.Requests;

/// <summary>Where a request stands after an action.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Status">Its status (see <see cref="ExchangeStatus"/>).</param>
/// <param name="DueDate">When the provider must answer, for filed requests.</param>
/// <param name="GrantId">The grant, once granted.</param>
/// <param name="Reason">Why, for refused requests: the catalogued legal basis.</param>
public sealed record ExchangeResult(long RequestId, string Status, DateOnly? DueDate, long? GrantId, string? Reason);
