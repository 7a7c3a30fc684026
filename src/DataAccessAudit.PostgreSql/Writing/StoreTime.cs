using NodaTime;

namespace DataAccessAudit.PostgreSql.Writing;

// PostgreSQL keeps microseconds; instants are stored rounded down to the microsecond, which keeps the report's
// period test exact: floor(t) >= from and floor(t) < to hold exactly when t does, for bounds in whole microseconds.
internal static class StoreTime
{
    private static readonly long MinTicks = DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks;
    private static readonly long MaxTicks = DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks;

    // The instant as a UTC DateTime in whole microseconds; null when it lies outside the years 1 to 9999.
    public static DateTime? ToDateTime(Instant instant)
    {
        var ticks = instant.ToUnixTimeTicks();
        if (ticks < MinTicks || ticks > MaxTicks)
        {
            return null;
        }

        ticks -= ((ticks % 10) + 10) % 10;
        return new DateTime(DateTime.UnixEpoch.Ticks + ticks, DateTimeKind.Utc);
    }

    public static Instant ToInstant(DateTime value) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
