namespace DataHub.Host.Samples;

/// <summary>What the generator wrote to one file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Kind">The shape.</param>
/// <param name="Dataset">The catalog dataset the records are for.</param>
/// <param name="Encoding">utf-8 or gbk.</param>
/// <param name="Rows">Records written (the header not counted).</param>
/// <param name="Dirt">How many records carry each kind of dirt (one kind per record).</param>
/// <param name="Rejected">Records a quality gate should reject: those with a kind of dirt the shape's rules fail on.</param>
/// <param name="Bytes">The file's size.</param>
/// <param name="Elapsed">Time taken.</param>
internal sealed record SampleFileReport(
    string Path, SampleKind Kind, string Dataset, string Encoding, long Rows, IReadOnlyDictionary<SampleDirt, long> Dirt, long Rejected, long Bytes, TimeSpan Elapsed);
