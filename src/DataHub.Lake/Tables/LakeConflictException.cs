namespace DataHub.Lake.Tables;

/// <summary>
/// Another writer committed to the table after this operation read it, and the operation cannot simply be
/// re-based (an overwrite, merge or delete decided on rows that may have changed). Nothing was committed.
/// </summary>
public sealed class LakeConflictException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public LakeConflictException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public LakeConflictException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public LakeConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
