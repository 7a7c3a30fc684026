namespace DataAccessAudit.BulkData;

// When a figure of distinct persons (or devices) is past a threshold, or past a fraction of it: the one statement of
// the rule for the monitor's alerts, the report's rows and every format that marks them, so that a compliance team
// reading the report sees crossed what the monitor alerted on, to the person.
internal static class BulkThreshold
{
    // The alert level of the threshold itself: a figure past it is bulk.
    public const double Crossing = 1;

    // The early warning of the default alert levels, and the level the HTML report shades as near.
    public const double HalfWay = 0.5;

    // 28 CFR 202.205 says "more than": a threshold of 1,000 is crossed at 1,001, and a threshold of zero (any amount,
    // 28 CFR 202.222) by one person. Integers, compared exactly at any size.
    public static bool IsCrossed(long count, long threshold) => count > threshold;

    // Whether a figure is past a fraction of a threshold: more than level × threshold, computed in decimal so that the
    // level is taken as written (0.97 of 1,000 is passed at 971) and a large figure is not rounded onto its threshold, as
    // a double would round 2^53 + 1 onto 2^53. A threshold of zero is crossed by the first person, so nothing comes
    // before its crossing to warn of: a level below the crossing is never passed.
    public static bool Passes(long count, long threshold, double level) =>
        threshold == 0 ? level >= Crossing && IsCrossed(count, 0)
        : level == Crossing ? IsCrossed(count, threshold)
        : count > (decimal)level * threshold;

    // The levels a figure passes, bit i for levels[i] (ascending, as the monitor keeps them), so that each raised bit is
    // one alert. Past a threshold of zero the first person is one event, the crossing, and raises one alert: the level of
    // the crossing (the lowest at or above 1), or the highest level when all are warnings below 1, since data counted at
    // any amount must not go unreported because the operator asked only for early warnings.
    public static int LevelsPassed(long count, long threshold, ReadOnlySpan<double> levels)
    {
        if (threshold == 0)
        {
            if (!IsCrossed(count, 0) || levels.IsEmpty)
            {
                return 0;
            }

            for (var i = 0; i < levels.Length; i++)
            {
                if (levels[i] >= Crossing)
                {
                    return 1 << i;
                }
            }

            return 1 << (levels.Length - 1);
        }

        var passed = 0;
        for (var i = 0; i < levels.Length; i++)
        {
            if (Passes(count, threshold, levels[i]))
            {
                passed |= 1 << i;
            }
        }

        return passed;
    }
}
