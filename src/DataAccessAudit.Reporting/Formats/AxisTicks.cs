namespace DataAccessAudit.Reporting.Formats;

// The ticks of a chart's count axis, as a person would draw them: a round step (1, 2 or 5 times a power of ten) from
// 0 up to the first multiple of the step that reaches the largest value, 3 to 7 ticks in all, so that the axis tops
// out at a round number just above the data instead of at the data's own odd maximum.
internal readonly record struct AxisTicks
{
    // The largest value ticks are computed for: far above any count a report holds, and low enough that the top tick
    // (at most the value plus one step) cannot overflow a long.
    public const long Largest = 1_000_000_000_000_000_000;

    private const int MostIntervals = 6;

    private AxisTicks(long step, long top)
    {
        Step = step;
        Top = top;
    }

    /// <summary>The distance between two ticks: 1, 2 or 5 times a power of ten.</summary>
    public long Step { get; }

    /// <summary>The last tick: the axis's maximum, a multiple of <see cref="Step"/> at or above the data.</summary>
    public long Top { get; }

    /// <summary>How many ticks there are, 0 and <see cref="Top"/> included: 3 to 7.</summary>
    public int Count => (int)(Top / Step) + 1;

    /// <summary>The ticks, from 0 up to <see cref="Top"/>.</summary>
    public IEnumerable<long> Values
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                yield return i * Step;
            }
        }
    }

    /// <summary>The ticks for an axis whose largest value is <paramref name="max"/> (0 to <see cref="Largest"/>).</summary>
    public static AxisTicks For(long max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, Largest);

        // The smallest round step that covers the data in at most six intervals. The step before it needed more
        // than six, and the steps grow by at most 2.5 times, so this one needs at least three, unless the step is 1
        // and the data smaller than 3: then the axis is drawn to 2, three ticks still.
        long step = 1;
        for (var i = 0; Intervals(max, step) > MostIntervals; i++)
        {
            step = (i % 3) switch
            {
                0 => step * 2, // 1 -> 2
                1 => step / 2 * 5, // 2 -> 5
                _ => step * 2, // 5 -> 10
            };
        }

        return new AxisTicks(step, Math.Max(Intervals(max, step), 2) * step);
    }

    private static long Intervals(long max, long step) => (max + step - 1) / step;
}
