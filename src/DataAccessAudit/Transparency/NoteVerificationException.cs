namespace DataAccessAudit.Transparency;

/// <summary>A signed note (a checkpoint) that could not be trusted: no signature by a known key, or a bad one.</summary>
public sealed class NoteVerificationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="NoteVerificationException"/> class.</summary>
    public NoteVerificationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoteVerificationException"/> class.</summary>
    /// <param name="message">What was wrong, naming the key.</param>
    public NoteVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoteVerificationException"/> class.</summary>
    /// <param name="message">What was wrong, naming the key.</param>
    /// <param name="innerException">The cause.</param>
    public NoteVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
