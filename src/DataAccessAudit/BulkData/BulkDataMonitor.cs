using System.Buffers;
using System.Diagnostics.Metrics;
using System.Numerics;
using System.Runtime.InteropServices;
using DataAccessAudit.Diagnostics;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Text;

namespace DataAccessAudit.BulkData;

/// <summary>
/// Keeps the 12-month figures of a <see cref="BulkDataPolicy"/> up to date as accesses are recorded, and raises an alert
/// when a counterparty's distinct persons of a kind pass a fraction of its threshold: a Warning log (event id 4201,
/// <c>BulkThresholdAlert</c>), the counter <c>data_access_audit.bulk_data.alerts</c>, and
/// <see cref="BulkDataMonitorOptions.OnAlert"/>. Each level alerts once per crossing: again only after the figure fell
/// back below it (as old days leave the window, or when a restart raised its threshold). A level at or below the
/// highest one already raised, such as one <see cref="BulkDataMonitorOptions.AlertFractions"/> added since, is raised
/// without an alert, and a threshold of zero alerts its one crossing once whatever level names it.
/// </summary>
/// <remarks>
/// <para>
/// A sink of the recording pipeline (<see cref="IAccessEventSink"/>): it sees every recorded access on the writer's
/// thread, after the app got its decision, so its cost never delays the app. Accesses the policy denied are not
/// counted. Days are UTC dates; a report in another time zone may place an access near midnight on the next or
/// previous date. An access more than 12 months older than the latest one seen is ignored.
/// </para>
/// <para>
/// The state (each track's daily sketches of the window and the raised levels) is saved to
/// <see cref="BulkDataMonitorOptions.StatePath"/> at most every <see cref="BulkDataMonitorOptions.SaveInterval"/> when
/// the pipeline flushes, and on disposal, by writing a new file and renaming it over the old one; it is read back by
/// the constructor, so figures and raised alerts survive restarts. The figures read back are judged against the
/// thresholds and alert levels in force once, when the host has started (registered through
/// <c>AddBulkDataMonitor</c> in a host) or before the first access is counted, whichever comes first; never from the
/// constructor, which may run inside a container's resolution before the app's metrics listeners are. A figure already
/// past a lowered threshold or a new level alerts then, and a raised level it is now below is lowered. Accesses
/// recorded after the last save and before a crash are missing from the figures (never from the log): a report over
/// the log recounts them.
/// </para>
/// </remarks>
public sealed partial class BulkDataMonitor : IAccessEventSink, IDisposable
{
    /// <summary>The name of the alert counter.</summary>
    public const string AlertsInstrument = TelemetryNames.Prefix + "bulk_data.alerts";

    private const int StackKeys = 64;

    // The most alert levels: each track keeps its raised levels as bits of an int.
    private const int MaxLevels = 8;

    private readonly BulkDataPolicy _policy;
    private readonly double[] _levels;
    private readonly string? _statePath;
    private readonly Duration _saveInterval;
    private readonly Action<BulkThresholdAlert>? _onAlert;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _alerts;
    private readonly Dictionary<(string Name, bool IsOrganization, int Kind), BulkTrack> _tracks = [];
    private readonly object _lock = new();
    private Instant _lastSave;
    private volatile bool _savedStateJudged = true;
    private bool _dirty;
    private bool _disposed;

    /// <summary>Creates a monitor, reading its saved state if there is one.</summary>
    /// <param name="policy">The kinds, thresholds and counterparties.</param>
    /// <param name="options">Alert levels, the state file, the callback.</param>
    /// <param name="clock">The clock that paces saving.</param>
    /// <param name="logger">Where alerts are logged; null for none.</param>
    /// <param name="meterFactory">Creates the meter of the alert counter; null for a meter of the monitor's own.</param>
    /// <exception cref="ArgumentException">An alert fraction is not above 0 and at most 10, or there are more than 8.</exception>
    public BulkDataMonitor(BulkDataPolicy policy, BulkDataMonitorOptions options, IClock clock, ILogger<BulkDataMonitor>? logger = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var levels = options.AlertFractions is { Count: > 0 } fractions ? fractions.ToArray() : [.. BulkDataMonitorOptions.DefaultAlertFractions];
        if (levels.Length > MaxLevels)
        {
            throw new ArgumentException($"AlertFractions: {levels.Length} fractions; at most {MaxLevels} are allowed.", nameof(options));
        }

        foreach (var level in levels)
        {
            if (!(level > 0 && level <= 10))
            {
                throw new ArgumentException($"AlertFractions: {level} is not a fraction of a threshold; expected a number above 0 and at most 10, such as 0.5 or 1.", nameof(options));
            }
        }

        if (options.SaveInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"SaveInterval: {options.SaveInterval} is negative; expected a duration such as 00:01:00.", nameof(options));
        }

        Array.Sort(levels);
        _policy = policy;
        _levels = [.. levels.Distinct()];
        _statePath = options.StatePath;
        _saveInterval = Duration.FromTimeSpan(options.SaveInterval);
        _onAlert = options.OnAlert;
        _clock = clock;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var meterOptions = new MeterOptions(AuditTelemetry.MeterName) { Version = typeof(BulkDataMonitor).Assembly.GetName().Version?.ToString() };
        _meter = meterFactory?.Create(meterOptions) ?? new Meter(meterOptions);
        _alerts = _meter.CreateCounter<long>(AlertsInstrument, "{alert}", "Bulk-data threshold alerts: a counterparty's distinct persons of a kind passed a fraction of its threshold.");
        _lastSave = clock.GetCurrentInstant();
        if (_statePath is not null && File.Exists(_statePath))
        {
            Load(_statePath);
            _savedStateJudged = false;
        }
    }

    /// <summary>Gets the policy.</summary>
    public BulkDataPolicy Policy => _policy;

    /// <summary>Gets the distinct persons (or devices) of a kind that a counterparty reached in the 12 months ending on the latest day it was seen.</summary>
    /// <param name="counterparty">The counterparty.</param>
    /// <param name="kind">The kind's name.</param>
    /// <returns>The figure (an upper bound when accesses without subject keys, or with fewer keys than subjects, contributed); zero when never seen.</returns>
    public long DistinctPersons(BulkCounterparty counterparty, string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var index = IndexOf(kind);
        lock (_lock)
        {
            return index >= 0 && _tracks.TryGetValue((counterparty.Name, counterparty.IsOrganization, index), out var track) ? track.Count : 0;
        }
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadOnlyMemory<AccessRecord> batch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var record in batch.Span)
            {
                Observe(record);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_dirty && _statePath is not null && _clock.GetCurrentInstant() - _lastSave >= _saveInterval)
            {
                SaveLocked();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Saves the state now, if it changed and there is a state file.</summary>
    public void SaveState()
    {
        lock (_lock)
        {
            if (_dirty && _statePath is not null)
            {
                SaveLocked();
            }
        }
    }

    /// <summary>Saves the state and releases the meter.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_dirty && _statePath is not null)
            {
                SaveLocked();
            }
        }

        _meter.Dispose();
    }

    /// <summary>Counts one recorded access. Call through <see cref="WriteAsync"/> unless the monitor is driven by hand.</summary>
    /// <param name="record">The access and its decision.</param>
    public void Observe(AccessRecord record)
    {
        var e = record.Event;
        ArgumentNullException.ThrowIfNull(e);
        if (!_savedStateJudged)
        {
            JudgeSavedState();
        }

        if (record.Decision is { Outcome: AccessOutcome.Denied })
        {
            return;
        }

        var mask = _policy.KindMaskOf(e.Resource.Type);
        if (mask == 0 || !_policy.TryGetCounterparty(e.Requester.Id, e.Requester.Region, e.Requester.Organization, e.Resource.Region, out var counterparty))
        {
            return;
        }

        var day = DayOf(e.Time);
        var keys = SubjectKeysOf(e);
        ulong[]? rented = null;
        var hashes = keys.Count <= StackKeys ? stackalloc ulong[StackKeys] : (rented = ArrayPool<ulong>.Shared.Rent(keys.Count));
        hashes = hashes[..keys.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = DistinctCountSketch.Hash(keys[i]);
        }

        for (var bits = mask; bits != 0; bits &= bits - 1)
        {
            var kind = BitOperations.TrailingZeroCount(bits);
            ref var track = ref CollectionsMarshal.GetValueRefOrAddDefault(_tracks, (counterparty.Name, counterparty.IsOrganization, kind), out _);
            track ??= new BulkTrack(counterparty, kind);
            Add(track, day, hashes, PersonCount.WithoutKeys(e.Subjects, keys.Count), _policy.CombinedWith(mask, kind));
        }

        if (rented is not null)
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    // The people an access touched, by subject key.
    private static IReadOnlyList<string> SubjectKeysOf(Events.AccessEvent e) => e.SubjectKeys;

    // The first day number of the 12-month window ending on a day number (days since 1970-01-01).
    internal static int WindowStartOf(int day) =>
        DayNumberOf(BulkWindow.EndingOn(new LocalDate(1970, 1, 1).PlusDays(day)).Start);

    private static int DayNumberOf(LocalDate date) => Period.DaysBetween(new LocalDate(1970, 1, 1), date);

    // Integer division, rounded down: the ticks of dates since mid-1998 pass 2^53, where a double would round the last
    // ticks of a day up into the next one.
    private static int DayOf(Instant instant)
    {
        var ticks = instant.ToUnixTimeTicks();
        var day = ticks / NodaConstants.TicksPerDay;
        return (int)(ticks % NodaConstants.TicksPerDay < 0 ? day - 1 : day);
    }

    private int IndexOf(string kind)
    {
        for (var i = 0; i < _policy.Kinds.Count; i++)
        {
            if (_policy.Kinds[i].Name == kind)
            {
                return i;
            }
        }

        return -1;
    }

    private void Add(BulkTrack track, int day, ReadOnlySpan<ulong> hashes, long keyless, ulong combined)
    {
        if (day > track.WindowEnd)
        {
            var moved = track.WindowEnd != int.MinValue;
            track.MoveTo(day);
            if (moved)
            {
                Check(track);
            }
        }
        else if (day < track.WindowStart)
        {
            return;
        }

        ref var cell = ref CollectionsMarshal.GetValueRefOrAddDefault(track.Days, day, out _);
        cell ??= new BulkTrackDay();
        var changed = false;
        foreach (var hash in hashes)
        {
            cell.Keys.Add(hash);
            changed |= track.Window.Add(hash);
        }

        if (keyless > 0)
        {
            cell.Keyless = PersonCount.Add(cell.Keyless, keyless);
            track.WindowKeyless = PersonCount.Add(track.WindowKeyless, keyless);
            changed = true;
        }

        if ((track.WindowCombined | combined) != track.WindowCombined)
        {
            cell.Combined |= combined;
            track.WindowCombined |= combined;
            changed = true;
        }
        else
        {
            cell.Combined |= combined;
        }

        if (changed)
        {
            _dirty = true;
            Check(track);
        }
    }

    // Raises the levels the figure passed, and lowers those it fell below, so that each crossing alerts once. The figure
    // is the window's, ending on the latest day seen: an alert is dated there even when a late access raised it, since the
    // 12 months ending on that access's own date may hold fewer people (the report's first crossing is the window's end).
    // A level raised at or below the highest one already raised (one a change of AlertFractions added under it, or that
    // names a threshold of zero's one crossing differently) is raised without an alert: the operator was told more.
    private void Check(BulkTrack track)
    {
        var kind = _policy.Kinds[track.Kind];
        var threshold = _policy.ThresholdOf(track.Kind, track.WindowCombined);
        var count = track.Count;
        var passed = BulkThreshold.LevelsPassed(count, threshold, _levels);
        var lowered = track.Raised & ~passed;
        if (lowered != 0)
        {
            track.Raised &= ~lowered;
            _dirty = true;
        }

        if (track.Highest > 0 && !(threshold == 0 ? BulkThreshold.IsCrossed(count, 0) : BulkThreshold.Passes(count, threshold, track.Highest)))
        {
            track.Highest = track.Raised == 0 ? 0 : _levels[31 - BitOperations.LeadingZeroCount((uint)track.Raised)];
            _dirty = true;
        }

        for (var i = 0; i < _levels.Length; i++)
        {
            var bit = 1 << i;
            if ((passed & bit) != 0 && (track.Raised & bit) == 0)
            {
                var told = _levels[i] <= track.Highest || (threshold == 0 && track.Highest >= BulkThreshold.Crossing);
                track.Raised |= bit;
                track.Highest = Math.Max(track.Highest, threshold == 0 ? Math.Max(_levels[i], BulkThreshold.Crossing) : _levels[i]);
                _dirty = true;
                if (!told)
                {
                    Alert(track, kind, _levels[i], count, threshold, track.WindowEnd);
                }
            }
        }
    }

    private void Alert(BulkTrack track, SensitiveDataKind kind, double level, long count, long threshold, int day)
    {
        var unit = kind.Unit == BulkCountUnit.Devices ? "devices" : "persons";
        var date = new LocalDate(1970, 1, 1).PlusDays(day);
        BulkDataMessages.BulkThresholdAlert(_logger, track.Counterparty.Name, count, unit, kind.Name, LocalDatePattern.Iso.Format(date), level * 100, threshold);
        _alerts.Add(
            1,
            new KeyValuePair<string, object?>(TelemetryNames.Prefix + "bulk_data.kind", kind.Name),
            new KeyValuePair<string, object?>(TelemetryNames.Prefix + "bulk_data.level", level));
        if (_onAlert is null)
        {
            return;
        }

        // The callback is the app's code on the recording writer: an exception escaping it would fail the batch, which
        // the pipeline writes again (counting its keyless subjects twice) after a pause that holds up the log itself.
        try
        {
            _onAlert(new BulkThresholdAlert(kind.Name, track.Counterparty, level, count, threshold, track.WindowKeyless > 0, date));
        }
        catch (Exception exception)
        {
            BulkDataMessages.AlertCallbackFailed(_logger, track.Counterparty.Name, kind.Name, exception);
        }
    }
}
