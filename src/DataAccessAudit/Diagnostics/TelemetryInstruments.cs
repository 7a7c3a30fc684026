using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataAccessAudit.Diagnostics;

/// <summary>
/// The audit's metrics, trace events and logs: the auditor calls <see cref="OnRecorded"/> once per access, and the
/// recording pipeline reports its queue depth, dropped accesses and write latency through the other members.
/// </summary>
/// <remarks>
/// Every member first asks whether anything listens (an enabled instrument, a listener on the activity source, an
/// enabled log level), so with nothing attached recording pays a few branches and allocates nothing. Metric
/// attributes are low-cardinality names only; ids reach traces and logs only through <see cref="IdentifierPseudonyms"/>.
/// </remarks>
internal sealed class TelemetryInstruments : IDisposable
{
    /// <summary>The activity source whose listeners switch on the events on the current activity.</summary>
    internal static readonly ActivitySource ActivitySource = new(AuditTelemetry.ActivitySourceName, Version);

    private static readonly object True = true;
    private static readonly object False = false;

    // Seconds, from 0.1 ms (a buffered write) to 10 s (a stalled disk): the SDK's default boundaries are for milliseconds.
    private static readonly double[] WriteDurationBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly long[] BatchSizeBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _accesses;
    private readonly Counter<long> _findings;
    private readonly Counter<long> _dropped;
    private readonly Histogram<double> _writeDuration;
    private readonly Histogram<long> _writeBatchSize;
    private readonly ILogger _logger;
    private readonly IdentifierPseudonyms _pseudonyms;
    private Func<long>[] _queueDepthSources = [];

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The app's meter factory; without one (no host) the meter is created and owned here.</param>
    /// <param name="redactorProvider">The app's redactor provider; see <see cref="IdentifierPseudonyms"/>.</param>
    /// <param name="loggerFactory">The app's logger factory; without one nothing is logged.</param>
    public TelemetryInstruments(IMeterFactory? meterFactory, IRedactorProvider? redactorProvider, ILoggerFactory? loggerFactory)
    {
        _logger = loggerFactory?.CreateLogger(AuditTelemetry.LogCategory) ?? NullLogger.Instance;
        _pseudonyms = IdentifierPseudonyms.Create(redactorProvider, _logger);
        var options = new MeterOptions(AuditTelemetry.MeterName) { Version = Version };
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(options) ?? new Meter(options);

        _accesses = _meter.CreateCounter<long>(
            TelemetryNames.Accesses,
            TelemetryNames.AccessUnit,
            "Accesses to personal data recorded, by outcome, data category, requester region, data region and whether they crossed a border.");
        _findings = _meter.CreateCounter<long>(
            TelemetryNames.Findings,
            TelemetryNames.FindingUnit,
            "Findings of the policy on recorded accesses, by finding.");
        _meter.CreateObservableUpDownCounter(
            TelemetryNames.QueueDepth,
            ObserveQueueDepth,
            TelemetryNames.AccessUnit,
            "Accesses recorded but not yet written by the sinks.");
        _dropped = _meter.CreateCounter<long>(
            TelemetryNames.Dropped,
            TelemetryNames.AccessUnit,
            "Accesses the recording pipeline could not write and dropped, by error.type.");
        _writeDuration = _meter.CreateHistogram(
            TelemetryNames.WriteDuration,
            TelemetryNames.SecondsUnit,
            "Time the sinks took to write one batch of accesses.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteDurationBoundaries });
        _writeBatchSize = _meter.CreateHistogram(
            TelemetryNames.WriteBatchSize,
            TelemetryNames.AccessUnit,
            "Accesses per batch written by the sinks.",
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchSizeBoundaries });
    }

    /// <summary>Gets the version of the meter and the activity source: the library's package version.</summary>
    internal static string Version { get; } = typeof(TelemetryInstruments).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Gets the meter the instruments belong to.</summary>
    internal Meter Meter => _meter;

    /// <summary>Gets the pseudonyms ids appear as.</summary>
    internal IdentifierPseudonyms Pseudonyms => _pseudonyms;

    /// <summary>Emits the telemetry of one recorded access: on the recording thread, right after the decision.</summary>
    /// <param name="accessEvent">The access.</param>
    /// <param name="decision">The policy's decision about it.</param>
    public void OnRecorded(AccessEvent accessEvent, AccessDecision decision)
    {
        if (_accesses.Enabled)
        {
            CountAccess(accessEvent, decision);
        }

        if (_findings.Enabled && !decision.Findings.IsEmpty)
        {
            CountFindings(decision.Findings);
        }

        if (decision.Outcome >= AccessOutcome.Flagged && _logger.IsEnabled(LogLevel.Warning))
        {
            LogAccess(accessEvent, decision);
        }

        if (ActivitySource.HasListeners() && Activity.Current is { IsAllDataRequested: true } activity)
        {
            AddActivityEvent(activity, accessEvent, decision);
        }
    }

    /// <summary>Counts accesses the recording pipeline dropped without writing them.</summary>
    /// <param name="count">How many.</param>
    /// <param name="errorType">Why, low-cardinality: <see cref="TelemetryNames.QueueFull"/>, <see cref="TelemetryNames.ShutDown"/> or an exception's full type name.</param>
    public void RecordDropped(long count, string errorType)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentException.ThrowIfNullOrEmpty(errorType);
        if (count > 0 && _dropped.Enabled)
        {
            _dropped.Add(count, new KeyValuePair<string, object?>(TelemetryNames.ErrorType, errorType));
        }
    }

    /// <summary>Records how long the sinks took to write one batch and, when they wrote it, its size.</summary>
    /// <param name="duration">The time from handing the batch to the sinks until they returned (or failed).</param>
    /// <param name="batchSize">How many accesses the batch held.</param>
    /// <param name="errorType">
    /// Null when the write succeeded; otherwise a low-cardinality reason, such as the exception's full type name. A
    /// failed write wrote no batch, so its size is not recorded: the batch is counted once, when a retry writes it.
    /// </param>
    public void RecordWriteDuration(TimeSpan duration, int batchSize, string? errorType = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        if (_writeDuration.Enabled)
        {
            if (errorType is null)
            {
                _writeDuration.Record(duration.TotalSeconds);
            }
            else
            {
                _writeDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(TelemetryNames.ErrorType, errorType));
            }
        }

        if (errorType is null && _writeBatchSize.Enabled)
        {
            _writeBatchSize.Record(batchSize);
        }
    }

    /// <summary>
    /// Registers a source of the queue depth, observed whenever a listener collects
    /// <c>data_access_audit.queue.depth</c>; the depths of all registered sources are added up.
    /// </summary>
    /// <param name="observe">Returns how many accesses wait to be written; called on the collecting thread, so it must be thread-safe and cheap.</param>
    /// <returns>A registration; dispose it when the queue stops.</returns>
    public IDisposable RegisterQueueDepth(Func<long> observe)
    {
        ArgumentNullException.ThrowIfNull(observe);
        Update(sources => [.. sources, observe]);
        return new QueueDepthRegistration(this, observe);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static object Box(bool value) => value ? True : False;

    private static string[] FindingNames(FindingSet findings)
    {
        var names = new string[findings.Count];
        var i = 0;
        foreach (var finding in findings)
        {
            names[i++] = finding.Name;
        }

        return names;
    }

    private void CountAccess(AccessEvent accessEvent, AccessDecision decision)
    {
        // The policy's taxonomy bounds the category names it defines; any other name comes from the app's data (or
        // whoever shapes it) and would add a series per name, so it is counted under one value, as OpenTelemetry's
        // conventions do for an HTTP method they do not know. The finding, the span event and the log keep the name.
        var category = decision.Findings.Contains(Finding.UnknownDataCategory)
            ? TelemetryNames.OtherDataCategory
            : accessEvent.Resource.Category.Name;
        var tags = new TagList
        {
            { TelemetryNames.Outcome, OutcomeNames.Format(decision.Outcome) },
            { TelemetryNames.DataCategory, category },
            { TelemetryNames.RequesterRegion, accessEvent.Requester.Region.Code },
            { TelemetryNames.DataRegion, accessEvent.Resource.Region.Code },
            { TelemetryNames.CrossBorder, Box(decision.CrossBorder) },
        };
        _accesses.Add(1, in tags);
    }

    private void CountFindings(FindingSet findings)
    {
        foreach (var finding in findings)
        {
            _findings.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Finding, finding.Name));
        }
    }

    private void LogAccess(AccessEvent accessEvent, AccessDecision decision)
    {
        // The two messages take the same fields; only the event id and the verb differ.
        Action<ILogger, string, string?, string, string, string, string?, string, bool, string, string?> log =
            decision.IsDenied ? TelemetryMessages.AccessDenied : TelemetryMessages.AccessFlagged;
        var requester = accessEvent.Requester;
        var resource = accessEvent.Resource;
        log(
            _logger,
            accessEvent.Id,
            decision.Policy,
            accessEvent.Action,
            resource.Category.Name,
            resource.Region.Code,
            _pseudonyms.Of(requester),
            requester.Region.Code,
            decision.CrossBorder,
            decision.Findings.ToString(),
            _pseudonyms.Of(resource));
    }

    private void AddActivityEvent(Activity activity, AccessEvent accessEvent, AccessDecision decision)
    {
        var tags = new ActivityTagsCollection
        {
            { TelemetryNames.EventId, accessEvent.Id },
            { TelemetryNames.Outcome, OutcomeNames.Format(decision.Outcome) },
            { TelemetryNames.CrossBorder, Box(decision.CrossBorder) },
            { TelemetryNames.FindingNames, FindingNames(decision.Findings) },
            { TelemetryNames.Action, accessEvent.Action },
            { TelemetryNames.DataCategory, accessEvent.Resource.Category.Name },
            { TelemetryNames.RequesterRegion, accessEvent.Requester.Region.Code },
            { TelemetryNames.DataRegion, accessEvent.Resource.Region.Code },
        };
        if (decision.Policy is { } policy)
        {
            tags.Add(TelemetryNames.Policy, policy);
        }

        if (_pseudonyms.IsEnabled)
        {
            tags.Add(TelemetryNames.RequesterPseudonym, _pseudonyms.Of(accessEvent.Requester));
            tags.Add(TelemetryNames.ResourcePseudonym, _pseudonyms.Of(accessEvent.Resource));
        }

        activity.AddEvent(new ActivityEvent(TelemetryNames.AccessEvent, accessEvent.Time.ToDateTimeOffset(), tags));
    }

    private IEnumerable<Measurement<long>> ObserveQueueDepth()
    {
        var sources = Volatile.Read(ref _queueDepthSources);
        if (sources.Length == 0)
        {
            return [];
        }

        long depth = 0;
        foreach (var source in sources)
        {
            depth += source();
        }

        return [new Measurement<long>(depth)];
    }

    private void Update(Func<Func<long>[], Func<long>[]> change)
    {
        Func<long>[] current, updated;
        do
        {
            current = Volatile.Read(ref _queueDepthSources);
            updated = change(current);
        }
        while (Interlocked.CompareExchange(ref _queueDepthSources, updated, current) != current);
    }

    private sealed class QueueDepthRegistration(TelemetryInstruments owner, Func<long> observe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Update(sources => Array.FindAll(sources, source => source != observe));
            }
        }
    }
}
