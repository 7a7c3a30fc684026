using DataAccessAudit.Recording;

namespace DataAccessAudit.Diagnostics;

/// <summary>
/// Feeds the recording pipeline's background writer into the audit's instruments: write duration and batch size,
/// write failures, and dropped accesses. The queue depth is observed separately, from the queue itself.
/// </summary>
internal sealed class RecordingTelemetry(TelemetryInstruments diagnostics) : IRecordingTelemetry
{
    public void BatchWritten(int records, TimeSpan duration) => diagnostics.RecordWriteDuration(duration, records);

    public void Flushed(TimeSpan duration)
    {
        // The flush (fsync) is part of making a batch durable, not of writing it; the write-duration histogram
        // measures the sinks' write calls only, as docs/telemetry.md defines it.
    }

    public void Dropped(long count) => diagnostics.RecordDropped(count, TelemetryNames.QueueFull);

    public void TooLarge(long count) => diagnostics.RecordDropped(count, TelemetryNames.TooLarge);

    public void LostOnShutdown(long count) => diagnostics.RecordDropped(count, TelemetryNames.ShutDown);

    // error.type holds the exception's full type name, as OpenTelemetry's conventions ask of a type: a short name
    // such as IOException or TimeoutException is shared by types of different libraries.
    public void WriteFailed(Exception exception, TimeSpan duration) =>
        diagnostics.RecordWriteDuration(duration, 0, exception.GetType().FullName ?? exception.GetType().Name);
}
