namespace DataHub.Exchange.Demands;

/// <summary>A demand and every change it went through, oldest first.</summary>
/// <param name="Demand">The demand as it stands.</param>
/// <param name="History">Its state changes, posting first.</param>
public sealed record DemandDetail(Demand Demand, IReadOnlyList<DemandEvent> History);
