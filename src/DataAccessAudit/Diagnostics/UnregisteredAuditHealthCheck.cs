using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DataAccessAudit.Diagnostics;

// The check AddDataAccessAuditCheck registers when the app never called AddDataAccessAudit: nothing records accesses,
// which the check reports with its failure status and the call that is missing. Resolving the pipeline instead would
// throw from the health check service and take every other check of the endpoint down with it.
internal sealed class UnregisteredAuditHealthCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(new HealthCheckResult(
            context.Registration.FailureStatus,
            "The data access audit is not registered, so no access is recorded: call services.AddDataAccessAudit(...)."));
    }
}
