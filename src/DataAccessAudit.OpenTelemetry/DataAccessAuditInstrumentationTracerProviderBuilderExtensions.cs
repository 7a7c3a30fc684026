using DataAccessAudit.Diagnostics;

namespace OpenTelemetry.Trace;

/// <summary>Switches on the data access audit's trace events in an OpenTelemetry tracer provider.</summary>
public static class DataAccessAuditInstrumentationTracerProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes to the audit's activity source (<see cref="AuditTelemetry.ActivitySourceName"/>): from then on every
    /// recorded access adds a <c>data_access_audit.access</c> event (outcome, border crossing, findings, regions, and
    /// the requester and resource as pseudonyms when a key is configured) to the current, recorded activity, whose
    /// trace id the access event already carries.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder, to chain calls.</returns>
    /// <remarks>
    /// The audit adds events to the app's own spans rather than starting spans of its own, so sampling stays the
    /// app's decision. There are no options: what identifiers may appear is configured once for traces and logs alike
    /// with <c>PseudonymizeIdentifiers</c> on the audit builder.
    /// </remarks>
    public static TracerProviderBuilder AddDataAccessAuditInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(AuditTelemetry.ActivitySourceName);
    }
}
