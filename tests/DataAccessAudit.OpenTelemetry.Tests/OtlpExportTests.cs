using System.Diagnostics;
using System.Text;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using NodaTime.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DataAccessAudit.OpenTelemetry.Tests;

/// <summary>
/// An app records accesses and exports over OTLP http/protobuf to a real receiver on 127.0.0.1, wired exactly as
/// docs/telemetry.md tells the demo (<c>demo --otlp URL</c>) to wire it.
/// </summary>
public sealed class OtlpExportTests
{
    private static readonly ActivitySource DemoSource = new("DataAccessAudit.Tests.Demo");

    [Fact]
    public async Task UseOtlpExporter_HttpProtobuf_DeliversAllSignalsWithoutRawIds()
    {
        using var receiver = new OtlpReceiver();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IClock>(new FakeClock(TestAccesses.Time));
        builder.Services.AddDataAccessAudit(audit => audit
            .AddSink<InMemoryAccessEventSink>()
            .PseudonymizeIdentifiers(options =>
            {
                options.KeyId = 1;
                options.Key = TestAccesses.Key;
            }));

        // The snippet of docs/telemetry.md, "Export to an OTLP endpoint".
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("access-report-demo"))
            .WithMetrics(metrics => metrics.AddDataAccessAuditInstrumentation())
            .WithTracing(tracing => tracing.AddDataAccessAuditInstrumentation().AddSource(DemoSource.Name))
            .WithLogging()
            .UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, receiver.BaseAddress);

        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        var auditor = host.Services.GetRequiredService<IAccessAuditor>();
        using (DemoSource.StartActivity("demo"))
        {
            auditor.Record(TestAccesses.FromChina, TestAccesses.ProtectedUsData, "read");
            auditor.Record(TestAccesses.FromUnitedStates, TestAccesses.ProtectedUsData, "read");
        }

        await auditor.FlushAsync(TestContext.Current.CancellationToken);
        Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush());
        Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush());
        Assert.True(host.Services.GetRequiredService<LoggerProvider>().ForceFlush());

        var requests = receiver.Requests.ToArray();
        var bodies = requests.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.SelectMany(r => r.Body).ToArray());
        Assert.All(requests, r => Assert.Equal("application/x-protobuf", r.ContentType));
        Assert.True(Contains(bodies["/v1/metrics"], "data_access_audit.accesses"));
        Assert.True(Contains(bodies["/v1/traces"], "data_access_audit.access"));
        Assert.True(Contains(bodies["/v1/traces"], TestAccesses.Pseudonym(TestAccesses.RawRequesterId, TestAccesses.Key)));
        Assert.True(Contains(bodies["/v1/logs"], TestAccesses.Pseudonym(TestAccesses.RawResourceId, TestAccesses.Key)));
        foreach (var forbidden in TestAccesses.Forbidden)
        {
            Assert.All(requests, r => Assert.False(Contains(r.Body, forbidden), $"{r.Path} carries '{forbidden}'"));
        }

        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
