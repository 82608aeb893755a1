namespace DataHub.Catalog;

/// <summary>
/// A catalog-as-code file is malformed or inconsistent. The message reads
/// <c>file:line: field: problem</c>; the parts are also available as properties.
/// </summary>
public sealed class CatalogDefinitionException : Exception
{
    /// <summary>Creates the exception with no details.</summary>
    public CatalogDefinitionException()
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The problem.</param>
    public CatalogDefinitionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">The underlying error.</param>
    public CatalogDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem at a place in a file.</summary>
    /// <param name="filePath">The YAML file.</param>
    /// <param name="line">The 1-based line of the offending node.</param>
    /// <param name="field">The field path, such as <c>columns[2].type</c>.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The underlying parser error, if any.</param>
    public CatalogDefinitionException(string filePath, long line, string field, string problem, Exception? innerException = null)
        : base($"{filePath}:{line}: {field}: {problem}", innerException)
    {
        FilePath = filePath;
        Line = line;
        Field = field;
    }

    /// <summary>The YAML file, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line of the offending node, or 0 when unknown.</summary>
    public long Line { get; }

    /// <summary>The field path, when known.</summary>
    public string? Field { get; }
}
