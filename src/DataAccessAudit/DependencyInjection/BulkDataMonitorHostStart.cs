using DataAccessAudit.BulkData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataAccessAudit.DependencyInjection;

// Judges the bulk-data monitor's saved figures when the host has started: after every hosted service's StartAsync, so
// that a metrics exporter started by its own hosted service (in whatever order it was registered) counts a start-up
// alert, and at one moment of the host's life rather than wherever the container first resolves the monitor. An access
// counted earlier (a request served while later services still start) has the monitor judge them first, on the
// writer, and this finds nothing left to do.
internal sealed class BulkDataMonitorHostStart(IServiceProvider services) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Resolved here rather than injected: the host builds its hosted services before the options' start-up validation,
    // and a monitor built then would report its options' mistakes alone (see ResolvedOnStart).
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<BulkDataMonitor>().JudgeSavedState();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
