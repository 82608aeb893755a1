using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace DataHub.Catalog.Lineage;

/// <summary>
/// Emits the OpenLineage events of runs: builds each event, records it (with the column lineage of a completed run)
/// in the <see cref="LineageStore"/>, and when a transport is configured also posts it. Delivery is best effort: a
/// failed post is logged and the event stays recorded; recording failures are thrown.
/// </summary>
public sealed partial class LineageEmitter
{
    /// <summary>The OpenLineage job namespace of DataHub's own jobs.</summary>
    public const string JobNamespace = "datahub";

    private readonly LineageStore _store;
    private readonly OpenLineageEventBuilder _builder;
    private readonly OpenLineageHttpTransport? _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates an emitter.</summary>
    /// <param name="store">Where events and column lineage are recorded.</param>
    /// <param name="builder">Builds the events.</param>
    /// <param name="transport">Posts the events somewhere else too; null (the default) keeps them local.</param>
    /// <param name="time">The clock for event times.</param>
    /// <param name="logger">Delivery failures go here.</param>
    public LineageEmitter(LineageStore store, OpenLineageEventBuilder builder, OpenLineageHttpTransport? transport, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _builder = builder;
        _transport = transport;
        _time = time;
        _logger = logger;
    }

    /// <summary>The store events are recorded in.</summary>
    public LineageStore Store => _store;

    /// <summary>Emits one event of a run.</summary>
    /// <param name="run">The run; for <see cref="LineageEventType.Complete"/> its edges are recorded as column lineage.</param>
    /// <param name="eventType">The transition.</param>
    /// <param name="errorMessage">For a failed run, what went wrong.</param>
    /// <param name="ct">Cancels recording and delivery.</param>
    /// <returns>The event emitted.</returns>
    public async Task<JsonObject> EmitAsync(LineageRun run, LineageEventType eventType, string? errorMessage = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var time = _time.GetUtcNow();
        var runEvent = _builder.Build(run, eventType, time, errorMessage);
        await _store.RecordAsync(run, eventType, time, runEvent, ct);
        if (_transport is not null)
        {
            try
            {
                await _transport.SendAsync(runEvent, ct);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                // A timeout surfaces as TaskCanceledException without our token being cancelled.
                LogDeliveryFailed(_logger, e, OpenLineageEventBuilder.EventTypeName(eventType), run.RunId, _transport.Endpoint);
            }
        }

        return runEvent;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenLineage {EventType} event of run {RunId} was recorded but not delivered to {Endpoint}")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string eventType, Guid runId, Uri endpoint);
}
