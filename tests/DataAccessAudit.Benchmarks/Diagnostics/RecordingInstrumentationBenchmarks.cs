using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using DataAccessAudit.Classification;
using DataAccessAudit.Diagnostics;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Options;
using NodaTime;

namespace DataAccessAudit.Benchmarks.Diagnostics;

/// <summary>
/// What the telemetry adds to recording one access on the app's thread: the policy decision alone (instrumentation
/// absent) against the decision plus <see cref="TelemetryInstruments.OnRecorded"/>, with nothing listening, with a meter
/// listener, and with an activity listener and a recorded current activity (event with two HMAC pseudonyms).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class RecordingInstrumentationBenchmarks : IDisposable
{
    private readonly AccessPolicy _policy = AccessPolicy.ProjectTexas;
    private readonly AccessEvent _access = new(
        "0190d3a2-7c1e-7b4e-9a55-3f0c2d9e1a01",
        Instant.FromUtc(2021, 9, 14, 7, 31, 2),
        new Requester("emp-4411", Region.Parse("CN")),
        new AccessedResource("user/8812/messages", Taxonomy.Protected, Region.Parse("US")),
        "read");

    private TelemetryInstruments _diagnostics = null!;
    private MeterListener? _meterListener;
    private ActivityListener? _activityListener;

    /// <summary>What listens while the benchmark runs.</summary>
    public enum Listening
    {
        /// <summary>Nothing: the common case for an app that has not switched telemetry on.</summary>
        None,

        /// <summary>A meter listener enabled for every instrument of the audit's meter.</summary>
        Metrics,

        /// <summary>An activity listener on the audit's source and a recorded current activity.</summary>
        Traces,
    }

    [Params(Listening.None, Listening.Metrics, Listening.Traces)]
    public Listening Listener { get; set; }

    [GlobalSetup]
    public void Setup()
    {
#pragma warning disable EXTEXP0002 // The HMAC redactor is experimental upstream; it is the one the audit uses.
        var redactor = new HmacRedactor(Options.Create(new HmacRedactorOptions { KeyId = 1, Key = Convert.ToBase64String(new byte[32]) }));
#pragma warning restore EXTEXP0002
        _diagnostics = new TelemetryInstruments(meterFactory: null, new OneRedactorProvider(redactor), loggerFactory: null);
        if (Listener == Listening.Metrics)
        {
            _meterListener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter == _diagnostics.Meter)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _meterListener.SetMeasurementEventCallback<long>((_, _, _, _) => { });
            _meterListener.SetMeasurementEventCallback<double>((_, _, _, _) => { });
            _meterListener.Start();
        }

        if (Listener == Listening.Traces)
        {
            _activityListener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is AuditTelemetry.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_activityListener);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _meterListener?.Dispose();
        _activityListener?.Dispose();
        _diagnostics?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Recording without instrumentation: the decision alone (inside a request span when tracing).</summary>
    [Benchmark(Baseline = true)]
    public AccessDecision Uninstrumented()
    {
        using var request = StartRequest();
        return _policy.Evaluate(_access);
    }

    /// <summary>The same, plus the telemetry of the recorded access.</summary>
    [Benchmark]
    public AccessDecision Instrumented()
    {
        using var request = StartRequest();
        var decision = _policy.Evaluate(_access);
        _diagnostics.OnRecorded(_access, decision);
        return decision;
    }

    // A fresh recorded span per call, as a web request would have, so events do not pile up on one activity.
    // Built directly rather than through an ActivitySource: sampling is not what is measured here.
    private Activity? StartRequest() =>
        Listener == Listening.Traces ? new Activity("request") { IsAllDataRequested = true }.Start() : null;

    private sealed class OneRedactorProvider(Redactor redactor) : IRedactorProvider
    {
        public Redactor GetRedactor(DataClassificationSet classification) => redactor;
    }
}
