using Microsoft.Extensions.Compliance.Classification;

namespace DataAccessAudit.Diagnostics;

/// <summary>
/// What an app needs to switch on the audit's telemetry without the <c>DataAccessAudit.OpenTelemetry</c> package:
/// the names of its <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/>,
/// its log category, and the data classification under which requester and resource ids are pseudonymised.
/// </summary>
/// <remarks>
/// The library instruments itself through <c>System.Diagnostics</c> and <c>Microsoft.Extensions.Logging</c> only.
/// Nothing is measured until a listener subscribes (an OpenTelemetry provider, <c>dotnet-counters</c>, a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>), and no identifier leaves the process in clear text:
/// requester and resource ids appear in traces and logs only as HMAC pseudonyms, made by the redactor the app
/// registers for <see cref="IdentifierClassification"/>, and not at all when none is registered.
/// See <c>docs/telemetry.md</c> for every instrument, attribute and event.
/// </remarks>
public static class AuditTelemetry
{
    /// <summary>The name of the meter, the activity source and the taxonomy of <see cref="IdentifierClassification"/>: <c>DataAccessAudit</c>.</summary>
    public const string Name = "DataAccessAudit";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> the audit's metrics come from.</summary>
    public const string MeterName = Name;

    /// <summary>
    /// The name of the <see cref="System.Diagnostics.ActivitySource"/>: while something listens to it, every recorded
    /// access adds an event to the current <see cref="System.Diagnostics.Activity"/>.
    /// </summary>
    public const string ActivitySourceName = Name;

    /// <summary>The category of the audit's log messages (flagged and denied accesses at Warning).</summary>
    public const string LogCategory = Name;

    /// <summary>
    /// Gets the classification of requester and resource ids in telemetry. Register a pseudonymising redactor for it
    /// (the HMAC redactor of <c>Microsoft.Extensions.Compliance.Redaction</c>) and ids appear as stable pseudonyms;
    /// register none and they do not appear at all.
    /// </summary>
    public static DataClassification IdentifierClassification { get; } = new(Name, "Identifier");
}
