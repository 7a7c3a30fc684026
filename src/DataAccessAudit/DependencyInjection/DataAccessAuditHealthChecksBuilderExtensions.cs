using DataAccessAudit.Diagnostics;
using DataAccessAudit.Recording;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the data access audit's health check.</summary>
public static class DataAccessAuditHealthChecksBuilderExtensions
{
    /// <summary>The name the check is registered under unless another is given.</summary>
    public const string DefaultName = "data-access-audit";

    /// <summary>
    /// Adds a check of the recording pipeline: unhealthy while the audit log cannot be written, degraded once accesses
    /// were dropped (a full queue in drop mode, or an access too large for a record, which the log keeps as a gap) or
    /// when the queue is nearly full. Its data holds <c>queueDepth</c>, <c>queueCapacity</c>, <c>droppedCount</c>
    /// (every dropped access) with <c>droppedQueueFull</c> and <c>droppedTooLarge</c> by reason, <c>writtenCount</c> and
    /// <c>durableCount</c> (accesses written and made durable as records) and, after a failure, <c>lastWriteError</c>
    /// and <c>lastWriteErrorAt</c>.
    /// </summary>
    /// <param name="builder">The health checks builder, from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name; <see cref="DefaultName"/> unless given.</param>
    /// <param name="failureStatus">The status while the log cannot be written; <see cref="HealthStatus.Unhealthy"/> unless given.</param>
    /// <param name="tags">Tags to filter checks by, such as <c>ready</c>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Register the audit itself with <c>AddDataAccessAudit</c>; the check reads the pipeline it registers. Without it the
    /// check reports <paramref name="failureStatus"/>, saying that the audit is not registered.
    /// </remarks>
    public static IHealthChecksBuilder AddDataAccessAuditCheck(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => sp.GetService<RecordingQueue>() is { } queue ? new RecordingHealthCheck(queue) : new UnregisteredAuditHealthCheck(),
            failureStatus,
            tags));
    }
}
