namespace DataAccessAudit.Recording;

/// <summary>
/// A sink that can drop an access it was given, writing a gap record in its place: one too large for a record of
/// its store (over 16 MiB as one line, such as hundreds of thousands of subject keys). The recording queue reads the
/// count after each batch, so that its counters, telemetry and health check report every dropped access, whatever
/// dropped it.
/// </summary>
internal interface IDropCountingSink
{
    /// <summary>Gets how many accesses the sink has written as gaps in their place since it was created.</summary>
    /// <remarks>Read on the recording writer's thread only, after a batch was written to every sink.</remarks>
    long TooLargeCount { get; }
}
