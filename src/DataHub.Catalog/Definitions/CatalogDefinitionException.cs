namespace DataHub.Catalog;

/// <summary>
/// A catalog-as-code file is malformed or inconsistent. The message reads
/// <c>file:line: field: problem</c>, one line per problem when several were found at once; the parts of the first
/// are available as properties and every problem in <see cref="Problems"/>.
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
        Problems = [this];
    }

    /// <summary>Creates the exception for several problems found in one pass; the first one's parts become the properties.</summary>
    /// <param name="problems">The problems in the order they were found (at least one).</param>
    public CatalogDefinitionException(IReadOnlyList<CatalogDefinitionException> problems)
        : base(Summarise(problems))
    {
        FilePath = problems[0].FilePath;
        Line = problems[0].Line;
        Field = problems[0].Field;
        Problems = problems;
    }

    /// <summary>Every problem found, each with its own file, line and field; this exception alone when it has no list.</summary>
    public IReadOnlyList<CatalogDefinitionException> Problems { get; } = [];

    /// <summary>The YAML file, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line of the offending node, or 0 when unknown.</summary>
    public long Line { get; }

    /// <summary>The field path, when known.</summary>
    public string? Field { get; }

    private static string Summarise(IReadOnlyList<CatalogDefinitionException> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentOutOfRangeException.ThrowIfZero(problems.Count);
        return problems.Count == 1
            ? problems[0].Message
            : string.Join('\n', problems.Select(p => p.Message)) + $"\n{problems.Count} problems in the catalog definitions.";
    }
}
