using DataHub.Catalog;
using DataHub.Catalog.Lineage;
using DataHub.Pipelines.Definitions;

namespace DataHub.Pipelines.Ingest;

/// <summary>
/// The column lineage of a file ingest: each source header that maps to a catalog column feeds that column
/// directly (<c>IDENTITY</c> for text, <c>TRANSFORMATION</c> for a typed cast), and each typed header also decides
/// indirectly which rows reach the table (<c>FILTER</c>: rows whose value does not parse are quarantined).
/// </summary>
public static class IngestLineage
{
    /// <summary>The run as known when it starts: the files to read and the table to write, no column lineage yet.</summary>
    /// <param name="runId">The lineage run id.</param>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="dataset">Its target's catalog entry.</param>
    /// <param name="sourceFiles">The files' paths relative to the repository (or inbox) root.</param>
    public static LineageRun Started(Guid runId, PipelineDefinition pipeline, DatasetDefinition dataset, IEnumerable<string> sourceFiles)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(sourceFiles);
        return new LineageRun(
            runId,
            LineageEmitter.JobNamespace,
            pipeline.Name,
            sourceFiles.Select(f => new LineageDatasetSchema(LineageDatasetName.ForFile(f), [])).ToList(),
            [new LineageDatasetSchema(dataset.Name, dataset.Columns.Select(c => new LineageField(c.Name, c.DataType)).ToList())],
            []);
    }

    /// <summary>The run once its files are read: their headers as input schemas and the column lineage.</summary>
    /// <param name="started">The run from <see cref="Started"/>.</param>
    /// <param name="dataset">The target's catalog entry.</param>
    /// <param name="files">Each file read, with its path relative to the repository (or inbox) root.</param>
    public static LineageRun Completed(LineageRun started, DatasetDefinition dataset, IEnumerable<(string RelativePath, DecodedFile File)> files)
    {
        ArgumentNullException.ThrowIfNull(started);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(files);
        var inputs = new List<LineageDatasetSchema>();
        var edges = new List<ColumnLineageEdge>();
        foreach (var (path, file) in files)
        {
            var source = LineageDatasetName.ForFile(path);
            inputs.Add(new LineageDatasetSchema(source, file.Headers.Select(h => new LineageField(h, "VARCHAR")).ToList()));
            for (var i = 0; i < file.Headers.Count; i++)
            {
                var column = dataset.Columns.FirstOrDefault(c => c.Name == file.Columns[i]);
                if (column is null)
                {
                    continue; // an unmapped header (__extra_N): its values are not committed.
                }

                var input = new LineageColumn(source, file.Headers[i]);
                var type = column.DataType.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
                if (type == "VARCHAR")
                {
                    edges.Add(new ColumnLineageEdge(input, new LineageColumn(dataset.Name, column.Name), LineageTransformationType.Direct, "IDENTITY"));
                    continue;
                }

                edges.Add(new ColumnLineageEdge(input, new LineageColumn(dataset.Name, column.Name), LineageTransformationType.Direct, "TRANSFORMATION",
                    Description: $"CAST AS {type}"));
                edges.Add(new ColumnLineageEdge(input, new LineageColumn(dataset.Name, LineageColumn.WholeDataset), LineageTransformationType.Indirect, "FILTER",
                    Description: $"rows whose value is not a valid {type} are quarantined"));
            }
        }

        return started with { Inputs = inputs, Edges = edges };
    }
}
