using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataAccessAudit.DependencyInjection;

// Stands in the host's list of hosted services for a service that is built only when the host starts it. The host
// builds every hosted service before it runs the options' start-up validation, so a service that reads its options
// (or builds a sink that reads its own) when it is built would throw the first section's mistakes alone, and hide
// those of every other section that the validation would have reported together. Built on start, the service comes
// after the validation, and each configuration mistake is reported in one start-up failure.
internal sealed class ResolvedOnStart<TService>(IServiceProvider services) : IHostedService
    where TService : class, IHostedService
{
    private TService? _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = services.GetRequiredService<TService>();
        return _started.StartAsync(cancellationToken);
    }

    // A host that failed to start stops the services it had started; one never started has nothing to stop.
    public Task StopAsync(CancellationToken cancellationToken) => _started?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
