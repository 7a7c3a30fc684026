using NodaTime;

namespace DataAccessAudit.Interchange;

// The one grammar of instants in access-event/1 (time, approval bounds): yyyy-MM-ddTHH:mm:ss, then optionally '.'
// and 1 to 9 digits, then Z; years 0001 to 9999, hours 00 to 23, a real calendar date, no leap second. NodaTime's
// extended ISO pattern is looser (',' as the decimal mark, year 0000, a bare '.'), so readers use this instead.
internal static class InterchangeInstant
{
    public static bool TryParse(ReadOnlySpan<char> text, out Instant instant)
    {
        instant = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[^1] != 'Z')
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day) ||
            !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var nanoseconds = 0L;
        if (text.Length > 20)
        {
            var fraction = text[20..^1];
            if (text[19] != '.' || fraction.Length is < 1 or > 9 || !TryDigits(fraction, out var digits))
            {
                return false;
            }

            nanoseconds = digits;
            for (var i = fraction.Length; i < 9; i++)
            {
                nanoseconds *= 10;
            }
        }

        instant = Instant.FromUtc(year, month, day, hour, minute, second).PlusNanoseconds(nanoseconds);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            var digit = c - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
