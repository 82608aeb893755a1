namespace DataHub.Lake.Tables;

/// <summary>A schema change or a write that does not fit the table's schema, with what and why.</summary>
public sealed class LakeSchemaException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public LakeSchemaException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public LakeSchemaException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public LakeSchemaException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
