using System.Diagnostics;
using System.Security.Cryptography;
using DataAccessAudit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// <c>demo --otlp URL</c>: exports the audit's metrics, traces and logs over OTLP http/protobuf, wired as
/// docs/telemetry.md ("Export to an OTLP endpoint") shows. The demo records inside activities of its own source so
/// the audit's trace events have spans to sit on, and pseudonymises ids with a fresh random key, so the export
/// carries pseudonyms and never a raw requester or resource id.
/// </summary>
internal sealed class DemoTelemetry
{
    /// <summary>The demo's own activity source.</summary>
    public static readonly ActivitySource Source = new("AccessReport.Demo");

    public const string ServiceName = "access-report-demo";

    private readonly MeterProvider _meters;
    private readonly TracerProvider _tracers;
    private readonly LoggerProvider _loggers;

    private DemoTelemetry(MeterProvider meters, TracerProvider tracers, LoggerProvider loggers)
    {
        _meters = meters;
        _tracers = tracers;
        _loggers = loggers;
    }

    /// <summary>Checks <c>--otlp</c>: an absolute http or https URL, the base of /v1/traces, /v1/metrics and /v1/logs.</summary>
    public static Uri ParseEndpoint(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"--otlp '{url}': expected the absolute http:// or https:// base URL of an OTLP/HTTP receiver, such as http://localhost:4318.");

    public static void AddPseudonyms(IDataAccessAuditBuilder audit) => audit.PseudonymizeIdentifiers(options =>
    {
        options.KeyId = 1;
        options.Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    });

    public static void AddOtlpExport(IServiceCollection services, Uri endpoint)
    {
        services.AddLogging();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics.AddDataAccessAuditInstrumentation())
            .WithTracing(tracing => tracing.AddDataAccessAuditInstrumentation().AddSource(Source.Name))
            .WithLogging()
            .UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, endpoint);
    }

    /// <summary>Creates the providers before anything is recorded (a host would do it when it starts).</summary>
    public static DemoTelemetry Start(IServiceProvider provider)
    {
        // Resolving the logger factory builds the OpenTelemetry logger provider into it.
        _ = provider.GetRequiredService<ILoggerFactory>();
        return new DemoTelemetry(
            provider.GetRequiredService<MeterProvider>(),
            provider.GetRequiredService<TracerProvider>(),
            provider.GetRequiredService<LoggerProvider>());
    }

    /// <summary>Starts the span the next accesses are recorded in.</summary>
    public static Activity? StartActivity() => Source.StartActivity("demo.record");

    /// <summary>Ends a span and starts the next, so that no span holds every access of a long run as events.</summary>
    public static Activity? NextActivity(Activity? current)
    {
        current?.Dispose();
        return StartActivity();
    }

    /// <summary>A command line exits quickly: push everything out before it does.</summary>
    public void Flush(Terminal terminal)
    {
        var flushed = _meters.ForceFlush() & _tracers.ForceFlush() & _loggers.ForceFlush();
        terminal.Output.WriteLine(flushed
            ? "Exported metrics, traces and logs over OTLP (ids pseudonymised)."
            : "warning: the OTLP export did not complete; is the receiver running?");
    }
}
