using System.Globalization;

namespace DataAccessAudit.Log;

// A gap record's reason (docs/log-format.md) and what readers of the file log and of the shared store say about one.
internal static class GapRecord
{
    // The recording queue was full in Drop mode: dropped accesses were not recorded.
    public const string QueueFull = "queue-full";

    // One access would have made a line longer than a reader holds: the gap stands in its place.
    public const string TooLarge = "too-large";

    // A gap without a reason was written before gaps carried one, for either cause, so its text names both.
    public static string Describe(in LogLineFields fields)
    {
        var dropped = fields.Dropped ?? 0;
        var accesses = dropped == 1 ? "1 access" : string.Create(CultureInfo.InvariantCulture, $"{dropped} accesses");
        var was = dropped == 1 ? "was" : "were";
        return fields.Reason switch
        {
            QueueFull => $"gap: the recorder dropped {accesses} (its queue was full), noted at {fields.Time}",
            TooLarge => $"gap: {accesses} {was} too large to record (over 16 MiB as one line) and {was} recorded as this gap instead, at {fields.Time}",
            _ => $"gap: {accesses} {was} not recorded (the recorder's queue was full, or an access was too large to record), noted at {fields.Time}",
        };
    }
}
