using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.Events;

// The rule for every instant an access event carries (its time, an approval's bounds): years 0001 to 9999, the
// instants access-event/1 can write. NodaTime's Instant reaches back to year -9998, which no reader of the format
// accepts, so such an instant is refused where it is given instead of being written, chained, and then skipped by
// every report as an input problem.
internal static class EventTime
{
    // 0001-01-01T00:00:00Z. Instant.MaxValue is the last nanosecond of 9999, so no upper check is needed.
    private static readonly Instant Earliest = Instant.FromUtc(1, 1, 1, 0, 0);

    // Checks value and returns it, for constructors and init accessors. what names the value in the message ("The
    // event time"), paramName the parameter or property.
    public static Instant Check(Instant value, string paramName, string what) =>
        value >= Earliest
            ? value
            : throw new ArgumentOutOfRangeException(
                paramName,
                $"{what} is {InstantPattern.ExtendedIso.Format(value)}: expected an instant in years 0001 to 9999, which access-event/1 can hold.");

    public static Instant? Check(Instant? value, string paramName, string what) => value is { } instant ? Check(instant, paramName, what) : null;
}
