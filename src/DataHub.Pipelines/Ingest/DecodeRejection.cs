namespace DataHub.Pipelines.Ingest;

/// <summary>
/// A source record the decoder could not turn into a row (a malformed NDJSON line, a JSON record that is not an
/// object, a record naming one field twice). It is reported, never dropped: rows written plus rejections equal the
/// records found in the source.
/// </summary>
/// <param name="Line">The physical line the record starts on (for row-numbered sources, its 1-based ordinal).</param>
/// <param name="Reason">Why the record was rejected, in words.</param>
/// <param name="RawText">The record as found, cut to <see cref="MaxRawLength"/> characters.</param>
public sealed record DecodeRejection(long Line, string Reason, string RawText)
{
    /// <summary>The longest raw text kept for a rejection, in UTF-16 characters.</summary>
    public const int MaxRawLength = 1000;

    /// <summary>Creates a rejection, cutting <paramref name="rawText"/> to <see cref="MaxRawLength"/> characters.</summary>
    /// <param name="line">The line (or ordinal) of the record.</param>
    /// <param name="reason">Why it was rejected.</param>
    /// <param name="rawText">The record's text as found.</param>
    public static DecodeRejection Create(long line, string reason, string rawText)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(rawText);
        if (rawText.Length > MaxRawLength)
        {
            // Never split a surrogate pair: the text is written to UTF-8 later.
            var length = char.IsHighSurrogate(rawText[MaxRawLength - 1]) ? MaxRawLength - 1 : MaxRawLength;
            rawText = rawText[..length];
        }

        return new DecodeRejection(line, reason, rawText);
    }
}
