using DataAccessAudit.Diagnostics;
using DataAccessAudit.Policy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DataAccessAudit.Tests.Diagnostics;

public sealed class TelemetryInstrumentsLoggingTests : IDisposable
{
    private readonly FakeLogCollector _logs = new();
    private readonly LoggerFactory _loggerFactory;

    public TelemetryInstrumentsLoggingTests()
    {
        _loggerFactory = new LoggerFactory([new FakeLoggerProvider(_logs)]);
    }

    public void Dispose() => _loggerFactory.Dispose();

    [Fact]
    public void OnRecorded_FlaggedAccess_LogsAWarningWithStructuredFieldsAndPseudonyms()
    {
        using var diagnostics = new TelemetryInstruments(null, TelemetryAccesses.RedactorProvider(TelemetryAccesses.Key), _loggerFactory);
        _logs.Clear();
        var access = TelemetryAccesses.CrossBorder();
        var decision = TelemetryAccesses.Decide(access);

        diagnostics.OnRecorded(access, decision);

        var record = Assert.Single(_logs.GetSnapshot());
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Equal(new EventId(4301, "AccessFlagged"), record.Id);
        Assert.Equal("DataAccessAudit", record.Category);
        Assert.Equal(access.Id, record.GetStructuredStateValue("AccessEventId"));
        Assert.Equal("project-texas/1", record.GetStructuredStateValue("Policy"));
        Assert.Equal("read", record.GetStructuredStateValue("Action"));
        Assert.Equal("protected", record.GetStructuredStateValue("DataCategory"));
        Assert.Equal("US", record.GetStructuredStateValue("DataRegion"));
        Assert.Equal("CN", record.GetStructuredStateValue("RequesterRegion"));
        Assert.Equal("True", record.GetStructuredStateValue("CrossBorder"));
        Assert.Equal(decision.Findings.ToString(), record.GetStructuredStateValue("Findings"));
        Assert.Equal(TelemetryAccesses.Pseudonym(TelemetryAccesses.RawRequesterId, TelemetryAccesses.Key), record.GetStructuredStateValue("Requester"));
        Assert.Equal(TelemetryAccesses.Pseudonym(TelemetryAccesses.RawResourceId, TelemetryAccesses.Key), record.GetStructuredStateValue("Resource"));
        AssertNoRawId(record);
    }

    [Fact]
    public void OnRecorded_DeniedAccess_LogsAWarningAsDenied()
    {
        using var diagnostics = new TelemetryInstruments(null, TelemetryAccesses.RedactorProvider(TelemetryAccesses.Key), _loggerFactory);
        _logs.Clear();
        var access = TelemetryAccesses.CrossBorder();

        diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access, PolicyMode.Enforce));

        var record = Assert.Single(_logs.GetSnapshot());
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Equal(new EventId(4302, "AccessDenied"), record.Id);
        AssertNoRawId(record);
    }

    [Fact]
    public void OnRecorded_AllowedAccess_LogsNothing()
    {
        using var diagnostics = new TelemetryInstruments(null, TelemetryAccesses.RedactorProvider(TelemetryAccesses.Key), _loggerFactory);
        _logs.Clear();
        var access = TelemetryAccesses.Domestic();

        diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        Assert.Empty(_logs.GetSnapshot());
    }

    [Fact]
    public void OnRecorded_NoKeyConfigured_LogsNoIdAtAll()
    {
        using var diagnostics = new TelemetryInstruments(null, redactorProvider: null, _loggerFactory);
        Assert.Equal("IdentifiersOmitted", Assert.Single(_logs.GetSnapshot()).Id.Name);
        _logs.Clear();
        var access = TelemetryAccesses.CrossBorder();

        diagnostics.OnRecorded(access, TelemetryAccesses.Decide(access));

        var record = Assert.Single(_logs.GetSnapshot());
        Assert.Null(record.GetStructuredStateValue("Requester"));
        Assert.Null(record.GetStructuredStateValue("Resource"));
        AssertNoRawId(record);
    }

    private static void AssertNoRawId(FakeLogRecord record)
    {
        TelemetryAccesses.AssertNoRawId(record.Message);
        Assert.All(record.StructuredState!, field => TelemetryAccesses.AssertNoRawId(field.Value));
    }
}
