using System.Numerics;
using NodaTime;

namespace DataAccessAudit.Interchange;

// The one grammar of instants in access-event/1 (time, approval bounds): yyyy-MM-ddTHH:mm:ss, then optionally '.'
// and 1 to 9 digits, then Z; years 0001 to 9999, hours 00 to 23, a real calendar date, no leap second. NodaTime's
// extended ISO pattern is looser (',' as the decimal mark, year 0000, a bare '.'), so readers use this instead. One
// implementation serves the full parser (text) and the fast scanner (UTF-8 bytes), so the two cannot disagree.
internal static class InterchangeInstant
{
    public static bool TryParse(ReadOnlySpan<char> text, out Instant instant)
    {
        var parsed = TryParse(text, out long seconds, out long nanoseconds);
        instant = parsed ? Instant.FromUnixTimeSeconds(seconds).PlusNanoseconds(nanoseconds) : default;
        return parsed;
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out Instant instant)
    {
        var parsed = TryParse(utf8, out long seconds, out long nanoseconds);
        instant = parsed ? Instant.FromUnixTimeSeconds(seconds).PlusNanoseconds(nanoseconds) : default;
        return parsed;
    }

    // Unix ticks rounded down, as Instant.ToUnixTimeTicks gives them, without building the Instant.
    public static bool TryParseUnixTicks(ReadOnlySpan<byte> utf8, out long unixTicks) => TryParseUnixTicks(utf8, out unixTicks, out _);

    // The same, with the nanoseconds past the tick (0 to 99), which only an 8th and 9th fractional digit give.
    public static bool TryParseUnixTicks(ReadOnlySpan<byte> utf8, out long unixTicks, out byte subTick)
    {
        var parsed = TryParse(utf8, out long seconds, out long nanoseconds);
        unixTicks = parsed ? (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100) : 0;
        subTick = (byte)(nanoseconds % 100);
        return parsed;
    }

    private static bool TryParse<T>(ReadOnlySpan<T> text, out long unixSeconds, out long nanoseconds)
        where T : unmanaged, IBinaryInteger<T>
    {
        unixSeconds = 0;
        nanoseconds = 0;
        if (text.Length < 20 || !Is(text[4], '-') || !Is(text[7], '-') || !Is(text[10], 'T') || !Is(text[13], ':') || !Is(text[16], ':') || !Is(text[^1], 'Z'))
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

        if (text.Length > 20)
        {
            var fraction = text[20..^1];
            if (!Is(text[19], '.') || fraction.Length is < 1 or > 9 || !TryDigits(fraction, out var digits))
            {
                return false;
            }

            nanoseconds = digits;
            for (var i = fraction.Length; i < 9; i++)
            {
                nanoseconds *= 10;
            }
        }

        unixSeconds = (new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        return true;
    }

    private static bool Is<T>(T unit, char expected)
        where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(unit) == expected;

    private static bool TryDigits<T>(ReadOnlySpan<T> digits, out int value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        foreach (var unit in digits)
        {
            var digit = int.CreateTruncating(unit) - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
