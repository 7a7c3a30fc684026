using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataAccessAudit.DependencyInjection;

// Relative paths in the audit's options are taken from the host's content root, as Kestrel takes the certificate
// paths in its configuration: the app's settings name files beside the app, while a service started by systemd or as
// a Windows service runs in / or System32, where a relative log directory would quietly go. Without a host (an app
// that builds a ServiceCollection itself) there is no content root, and a relative path stays relative to the
// current directory, as .NET resolves it.
internal static class ContentRootPaths
{
    /// <summary>The path, made absolute from the content root when it is relative and a host tells its content root.</summary>
    public static string? Resolve(IServiceProvider services, string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || Path.IsPathFullyQualified(path) ||
            services.GetService<IHostEnvironment>()?.ContentRootPath is not { Length: > 0 } root)
        {
            return path;
        }

        return Path.GetFullPath(path, Path.GetFullPath(root));
    }
}
