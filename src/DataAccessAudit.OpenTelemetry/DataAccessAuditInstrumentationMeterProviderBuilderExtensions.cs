using DataAccessAudit.Diagnostics;

namespace OpenTelemetry.Metrics;

/// <summary>Switches on the data access audit's metrics in an OpenTelemetry meter provider.</summary>
public static class DataAccessAuditInstrumentationMeterProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes to the audit's meter (<see cref="AuditTelemetry.MeterName"/>): counts of recorded accesses by
    /// outcome, data category, requester region, data region and border crossing; findings; and the recording
    /// pipeline's queue depth, dropped accesses and write latency. Attributes are low-cardinality names, never an id.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder, to chain calls.</returns>
    /// <remarks>
    /// The audit measures itself through <see cref="System.Diagnostics.Metrics.Meter"/>; this only subscribes, so it
    /// has no options: drop or rename attributes with the SDK's views. Instruments and attributes are listed in
    /// <c>docs/telemetry.md</c>.
    /// </remarks>
    public static MeterProviderBuilder AddDataAccessAuditInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(AuditTelemetry.MeterName);
    }
}
