namespace DataAccessAudit.BulkData;

// One UTC day of a monitor's track: the subject keys seen, the subjects no key stands for, and the kinds the
// data came combined with.
internal sealed class BulkTrackDay
{
    public DistinctCountSketch Keys = new();
    public long Keyless;
    public ulong Combined;
}
