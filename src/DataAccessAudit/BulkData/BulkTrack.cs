namespace DataAccessAudit.BulkData;

// What the monitor keeps for one counterparty and kind: the people of each UTC day of the last 12 months, their union
// over the window ending on the latest day seen, and which alert levels are raised.
internal sealed class BulkTrack(BulkCounterparty counterparty, int kind)
{
    public readonly BulkCounterparty Counterparty = counterparty;
    public readonly int Kind = kind;
    public readonly Dictionary<int, BulkTrackDay> Days = [];
    public DistinctCountSketch Window = new();
    public long WindowKeyless;
    public ulong WindowCombined;
    public int WindowEnd = int.MinValue;
    public int WindowStart = int.MinValue;
    public int Raised;

    // The highest alert fraction raised whose level the figure still passes, kept apart from Raised because it outlives
    // a change of AlertFractions that no longer names it: a level at or below it alerts nothing new. Past a threshold of
    // zero the one alert is the crossing, whatever level named it, so it counts as at least the crossing (1).
    public double Highest;

    public long Count => PersonCount.Add(Window.Count, WindowKeyless);

    // Moves the window to end on a later day: drops the days before its start and unions the rest again.
    public void MoveTo(int day)
    {
        WindowEnd = day;
        WindowStart = BulkDataMonitor.WindowStartOf(day);
        Window = new DistinctCountSketch();
        WindowKeyless = 0;
        WindowCombined = 0;
        List<int>? expired = null;
        foreach (var (d, cell) in Days)
        {
            if (d < WindowStart)
            {
                (expired ??= []).Add(d);
                continue;
            }

            Window.UnionWith(cell.Keys);
            WindowKeyless = PersonCount.Add(WindowKeyless, cell.Keyless);
            WindowCombined |= cell.Combined;
        }

        if (expired is not null)
        {
            foreach (var d in expired)
            {
                Days.Remove(d);
            }
        }
    }
}
