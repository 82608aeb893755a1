namespace DataHub.Quality.Rules;

/// <summary>The data quality dimensions of GB/T 36344-2018.</summary>
public enum QualityDimension
{
    /// <summary>规范性: conforms to standards, models, code sets and business rules.</summary>
    Normativity,

    /// <summary>完整性: nothing missing.</summary>
    Completeness,

    /// <summary>准确性: correct content, valid format, no duplicates.</summary>
    Accuracy,

    /// <summary>一致性: the same data agrees across places and sources.</summary>
    Consistency,

    /// <summary>时效性: fresh, on time, in order.</summary>
    Timeliness,

    /// <summary>可访问性: available to those entitled to it.</summary>
    Accessibility,
}
