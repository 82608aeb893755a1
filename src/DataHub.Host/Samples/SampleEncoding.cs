namespace DataHub.Host.Samples;

/// <summary>The encodings the generator writes.</summary>
internal enum SampleEncoding
{
    /// <summary>UTF-8 without a byte order mark.</summary>
    Utf8,

    /// <summary>GBK, as Windows export tools write it (encoded as GB18030, whose bytes equal GBK's for every GBK character).</summary>
    Gbk,
}
