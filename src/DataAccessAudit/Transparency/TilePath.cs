using System.Globalization;
using System.Text;

namespace DataAccessAudit.Transparency;

// Tile names of C2SP tlog-tiles: tile/<L>/<N>[.p/<W>], where N is written in 3-digit groups, all but the last
// prefixed with 'x' (1234067 -> x001/x234/067), so that tiles live in a plain directory tree.
internal static class TilePath
{
    public const int Height = 8;
    public const int Width = 1 << Height;

    public static string Relative(int level, long index, int width)
    {
        var builder = new StringBuilder("tile/").Append(level.ToString(CultureInfo.InvariantCulture)).Append('/');
        var digits = index.ToString(CultureInfo.InvariantCulture);
        digits = digits.PadLeft((digits.Length + 2) / 3 * 3, '0');
        for (var i = 0; i < digits.Length; i += 3)
        {
            if (i + 3 < digits.Length)
            {
                builder.Append('x');
            }

            builder.Append(digits, i, 3);
            if (i + 3 < digits.Length)
            {
                builder.Append('/');
            }
        }

        if (width < Width)
        {
            builder.Append(".p/").Append(width.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
