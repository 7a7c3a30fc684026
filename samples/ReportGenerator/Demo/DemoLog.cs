using DataAccessAudit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>
/// Where the demo records to. SEAM: the one place that chooses the demo's sink. When the durable log lands, replace
/// the body of <see cref="AddDemoLog"/> with <c>audit.AddFileLog(...)</c> writing into <paramref name="logDirectory"/>;
/// the demo reads the directory back through <see cref="EventSources.ReadLog"/>, the same path as <c>report --log</c>.
/// </summary>
internal static class DemoLog
{
    public const string FileName = "events.jsonl";

    public static IDataAccessAuditBuilder AddDemoLog(this IDataAccessAuditBuilder audit, string logDirectory)
    {
        Directory.CreateDirectory(logDirectory);
        audit.Services.AddSingleton(new DemoLogFile(Path.Combine(logDirectory, FileName)));
        return audit.AddSink<DemoEventFileSink>();
    }
}
