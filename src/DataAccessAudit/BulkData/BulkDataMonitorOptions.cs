namespace DataAccessAudit.BulkData;

/// <summary>How the <see cref="BulkDataMonitor"/> alerts and where it keeps its state.</summary>
public sealed class BulkDataMonitorOptions
{
    /// <summary>The default of <see cref="AlertFractions"/>: half the threshold, and the threshold itself.</summary>
    public static IReadOnlyList<double> DefaultAlertFractions { get; } = [BulkThreshold.HalfWay, BulkThreshold.Crossing];

    /// <summary>
    /// Gets or sets the fractions of each threshold at which to alert, each above 0 and at most 10 (1 is the threshold:
    /// more than it is bulk). Null or empty for <see cref="DefaultAlertFractions"/>; at most 8. A threshold of zero (any
    /// amount, such as government-related data) is crossed by the first person with nothing before it to warn of, so it
    /// raises one alert only: at the lowest fraction of 1 or more, or at the highest fraction when all are below 1.
    /// </summary>
    public IList<double>? AlertFractions { get; set; }

    /// <summary>
    /// Gets or sets the file that keeps the monitor's state across restarts (the daily sketches of the last 12 months and
    /// which alerts were raised), such as a file beside the log. Null keeps the state in memory only. A relative path is
    /// taken from the host's content root when the options come through dependency injection in a host.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>Gets or sets how often, at most, a flush of the recording pipeline also saves the state. Default: one minute.</summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets a callback for each alert, called on the recording pipeline's writer thread, or, for saved figures
    /// already past a level when the monitor starts (a threshold lowered, a fraction added), on the thread that starts
    /// the host, once every hosted service has started (or on the writer, when an access comes first): keep it short.
    /// An exception it throws is logged (event id 4204) and does not stop the monitor or the pipeline.
    /// </summary>
    public Action<BulkThresholdAlert>? OnAlert { get; set; }
}
