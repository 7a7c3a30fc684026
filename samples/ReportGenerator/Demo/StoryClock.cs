using NodaTime;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// The demo's clock: it reads the story's time, which the story sets before each access, so that the months of the
/// story are recorded in seconds. The story sets it on its own thread while the log's writer reads it on another.
/// </summary>
internal sealed class StoryClock(Instant start) : IClock
{
    private long _ticks = start.ToUnixTimeTicks();

    /// <summary>Moves the clock to the instant of the next access.</summary>
    public void Set(Instant now) => Volatile.Write(ref _ticks, now.ToUnixTimeTicks());

    /// <inheritdoc/>
    public Instant GetCurrentInstant() => Instant.FromUnixTimeTicks(Volatile.Read(ref _ticks));
}
