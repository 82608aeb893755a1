using DataHub.Catalog.Lineage;
using DataHub.Catalog.Tests.Lineage.Schema;
using Npgsql;

namespace DataHub.Catalog.Tests.Lineage;

[Collection(PostgresTestGroup.Name)]
public sealed class LineageStoreTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Time = new(2026, 10, 2, 2, 30, 0, TimeSpan.Zero);
    private readonly OpenLineageEventBuilder builder = new();
    private NpgsqlDataSource dataSource = null!;
    private LineageStore store = null!;

    public async Task InitializeAsync()
    {
        dataSource = await fixture.CreateMigratedDatabaseAsync("lineage_store");
        store = new LineageStore(dataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task RecordAsync(LineageRun run, LineageEventType type, DateTimeOffset? time = null) =>
        await store.RecordAsync(run, type, time ?? Time, builder.Build(run, type, time ?? Time));

    [Fact]
    public async Task A_completed_run_records_its_column_lineage_and_the_upstream_walk_finds_the_sources()
    {
        var ingest = LineageSamples.Ingest(Guid.CreateVersion7());
        await RecordAsync(ingest, LineageEventType.Start);
        await RecordAsync(ingest, LineageEventType.Complete);
        var export = LineageSamples.MaskedExport(Guid.CreateVersion7());
        await RecordAsync(export, LineageEventType.Complete);

        var graph = await store.GetGraphAsync(LineageSamples.Export, LineageDirection.Up, 5);

        Assert.NotNull(graph);
        Assert.Contains(new LineageGraphNode(LineageSamples.Export, "id_card_masked", 0), graph.Nodes);
        Assert.Contains(new LineageGraphNode(LineageSamples.Table, "id_card", 1), graph.Nodes);
        Assert.Contains(new LineageGraphNode(LineageSamples.Source, "身份证号", 2), graph.Nodes);
        var masked = Assert.Single(graph.Edges, e => e.Output.Field == "id_card_masked");
        Assert.Equal(new ColumnLineageEdge(new LineageColumn(LineageSamples.Table, "id_card"), new LineageColumn(LineageSamples.Export, "id_card_masked"),
            LineageTransformationType.Direct, "TRANSFORMATION", true, "first 6 and last 4 digits kept"), masked);
        Assert.Contains(graph.Edges, e => e.Output == new LineageColumn(LineageSamples.Export, "members") && e.Type == LineageTransformationType.Indirect && e.Subtype == "GROUP_BY");
        Assert.Equal(7, graph.Edges.Count);
        // The whole-dataset node of the table is not upstream of the export: nothing in the export reads it.
        Assert.DoesNotContain(graph.Nodes, n => n.Field == LineageColumn.WholeDataset);
    }

    [Fact]
    public async Task The_downstream_walk_finds_the_consumers_and_depth_limits_it()
    {
        await RecordAsync(LineageSamples.Ingest(Guid.CreateVersion7()), LineageEventType.Complete);
        await RecordAsync(LineageSamples.MaskedExport(Guid.CreateVersion7()), LineageEventType.Complete);

        var near = await store.GetGraphAsync(LineageSamples.Source, LineageDirection.Down, 1);
        var far = await store.GetGraphAsync(LineageSamples.Source, LineageDirection.Down, 2);

        Assert.NotNull(near);
        Assert.NotNull(far);
        Assert.Equal(1, near.Nodes.Max(n => n.Distance));
        Assert.DoesNotContain(near.Nodes, n => n.Dataset == LineageSamples.Export);
        Assert.Contains(new LineageGraphNode(LineageSamples.Table, LineageColumn.WholeDataset, 1), near.Nodes);
        Assert.Contains(new LineageGraphNode(LineageSamples.Export, "id_card_masked", 2), far.Nodes);
        Assert.All(far.Edges, e => Assert.Contains(far.Nodes, n => n.Dataset == e.Output.Dataset && n.Field == e.Output.Field));
    }

    [Fact]
    public async Task Both_directions_join_sources_and_consumers_around_the_middle_table()
    {
        await RecordAsync(LineageSamples.Ingest(Guid.CreateVersion7()), LineageEventType.Complete);
        await RecordAsync(LineageSamples.MaskedExport(Guid.CreateVersion7()), LineageEventType.Complete);

        var graph = await store.GetGraphAsync(LineageSamples.Table, LineageDirection.Both, 1);

        Assert.NotNull(graph);
        Assert.Contains(graph.Nodes, n => n.Dataset == LineageSamples.Source && n.Distance == 1);
        Assert.Contains(graph.Nodes, n => n.Dataset == LineageSamples.Export && n.Distance == 1);
        Assert.Equal(8, graph.Edges.Count);
    }

    [Fact]
    public async Task A_cycle_is_walked_once()
    {
        var run = new LineageRun(Guid.CreateVersion7(), "datahub", "loop", [], [new LineageDatasetSchema("loop.a", []), new LineageDatasetSchema("loop.b", [])],
        [
            LineageSamples.Edge("loop.a", "x", "loop.b", "x", LineageTransformationType.Direct, "IDENTITY"),
            LineageSamples.Edge("loop.b", "x", "loop.a", "x", LineageTransformationType.Direct, "IDENTITY"),
        ]);
        await RecordAsync(run, LineageEventType.Complete);

        var graph = await store.GetGraphAsync("loop.a", LineageDirection.Up, 10);

        Assert.NotNull(graph);
        Assert.Equal([new LineageGraphNode("loop.a", "x", 0), new LineageGraphNode("loop.b", "x", 1)], graph.Nodes);
        Assert.Equal(2, graph.Edges.Count);
    }

    [Fact]
    public async Task A_walk_that_reaches_the_node_limit_stops_after_that_level_and_says_so()
    {
        // wide.out.x reads MaxNodes columns of wide.mid; one of those reads wide.src.x.
        var edges = Enumerable.Range(0, LineageStore.MaxNodes)
            .Select(i => LineageSamples.Edge("wide.mid", $"c{i}", "wide.out", "x", LineageTransformationType.Direct, "AGGREGATION"))
            .Append(LineageSamples.Edge("wide.src", "x", "wide.mid", "c0", LineageTransformationType.Direct, "IDENTITY"))
            .ToList();
        var run = new LineageRun(Guid.CreateVersion7(), "datahub", "wide", [], [new LineageDatasetSchema("wide.out", []), new LineageDatasetSchema("wide.mid", [])], edges);
        await RecordAsync(run, LineageEventType.Complete);

        var limited = await store.GetGraphAsync("wide.out", LineageDirection.Up, 2);
        var oneLevel = await store.GetGraphAsync("wide.out", LineageDirection.Up, 1);
        var fromSource = await store.GetGraphAsync("wide.src", LineageDirection.Down, 2);

        Assert.NotNull(limited);
        Assert.True(limited.Truncated);
        Assert.Equal(LineageStore.MaxNodes + 1, limited.Nodes.Count);
        Assert.DoesNotContain(limited.Nodes, n => n.Dataset == "wide.src");
        Assert.NotNull(oneLevel);
        Assert.False(oneLevel.Truncated);
        Assert.Equal(limited.Nodes, oneLevel.Nodes);
        Assert.NotNull(fromSource);
        Assert.False(fromSource.Truncated);
        Assert.Contains(new LineageGraphNode("wide.out", "x", 2), fromSource.Nodes);
    }

    [Fact]
    public async Task Recording_the_same_lineage_again_keeps_one_edge_and_remembers_the_latest_run()
    {
        var first = LineageSamples.Ingest(Guid.CreateVersion7());
        var second = first with { RunId = Guid.CreateVersion7() };
        await RecordAsync(first, LineageEventType.Complete);
        await RecordAsync(second, LineageEventType.Complete);

        await using var command = dataSource.CreateCommand(
            "SELECT count(*), count(DISTINCT first_run), min(last_run::text) FROM datahub.column_lineage");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(4L, reader.GetInt64(0));
        Assert.Equal(1L, reader.GetInt64(1));
        Assert.Equal(second.RunId.ToString(), reader.GetString(2));
    }

    [Fact]
    public async Task Start_and_fail_events_are_stored_but_add_no_lineage()
    {
        var run = LineageSamples.Ingest(Guid.CreateVersion7());
        await RecordAsync(run, LineageEventType.Start, Time);
        var failed = builder.Build(run, LineageEventType.Fail, Time.AddSeconds(3), "boom");
        await store.RecordAsync(run, LineageEventType.Fail, Time.AddSeconds(3), failed);

        var events = await store.GetEventsAsync(run.RunId);
        Assert.Equal(["START", "FAIL"], events.Select(e => (string?)e["eventType"]));
        Assert.All(events, e => Assert.Empty(OpenLineageSchemas.Validate(e)));
        Assert.Null(await store.GetGraphAsync(LineageSamples.Table, LineageDirection.Up, 3));
        await using var command = dataSource.CreateCommand("SELECT state, ended_at - started_at FROM datahub.lineage_run WHERE run_id = @id");
        command.Parameters.AddWithValue("id", run.RunId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("FAIL", reader.GetString(0));
        Assert.Equal(TimeSpan.FromSeconds(3), reader.GetTimeSpan(1));
    }

    [Fact]
    public async Task A_run_with_an_invalid_column_records_nothing()
    {
        var run = LineageSamples.Ingest(Guid.CreateVersion7());
        run = run with { Edges = [.. run.Edges, LineageSamples.Edge("not a dataset", "x", LineageSamples.Table, "id_card", LineageTransformationType.Direct, "IDENTITY")] };

        await Assert.ThrowsAsync<ArgumentException>(() => store.RecordAsync(run, LineageEventType.Complete, Time, builder.Build(LineageSamples.Ingest(run.RunId), LineageEventType.Complete, Time)));

        Assert.Empty(await store.GetEventsAsync(run.RunId));
        Assert.Null(await store.GetGraphAsync(LineageSamples.Table, LineageDirection.Up, 1));
    }

    [Fact]
    public async Task An_unknown_dataset_has_no_graph_and_depth_is_bounded()
    {
        Assert.Null(await store.GetGraphAsync("nothing.here", LineageDirection.Up, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetGraphAsync(LineageSamples.Table, LineageDirection.Up, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetGraphAsync(LineageSamples.Table, LineageDirection.Up, LineageStore.MaxDepth + 1));
    }
}
