using System.Diagnostics;
using System.Security.Claims;
using DataAccessAudit.DependencyInjection;
using DataAccessAudit.Policy;
using DataAccessAudit.Recording;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace DataAccessAudit.AspNetCore.Tests.TestApp;

/// <summary>
/// A web app with audited minimal API endpoints, controllers and Razor pages, served by Kestrel on a loopback port so requests
/// arrive over real HTTP from 127.0.0.1. Requests name their user in <c>X-Test-Claims</c> (<c>sub=emp-1;region=CN</c>),
/// which a test-only middleware turns into the request's <see cref="ClaimsPrincipal"/>.
/// </summary>
public sealed class AuditedApp : WebApplicationFactory<AuditedApp>
{
    private readonly PolicyMode _mode;
    private readonly Action<HttpAuditOptions> _configure;
    private readonly Action<IServiceCollection> _services;
    private readonly Action<IApplicationBuilder> _middleware;
    private readonly Action<IApplicationBuilder> _routed;
    private readonly Action<IEndpointRouteBuilder> _endpoints;
    private readonly Action<ControllerActionEndpointConventionBuilder> _controllers;
    private readonly Action<PageActionEndpointConventionBuilder> _pages;
    private readonly string _contentRoot;

    /// <summary>Creates the app.</summary>
    /// <param name="mode">The policy's mode.</param>
    /// <param name="configure">Sets the integration's options, after <c>DefaultDataRegion = "US"</c>.</param>
    /// <param name="services">Adds services.</param>
    /// <param name="middleware">Adds middleware after the test's claims, before routing.</param>
    /// <param name="routed">Adds middleware after routing, before the endpoints (the output cache).</param>
    /// <param name="endpoints">Maps endpoints of a test next to <see cref="TestEndpoints"/>.</param>
    /// <param name="controllers">Adds conventions to <c>MapControllers()</c>.</param>
    /// <param name="pages">Adds conventions to <c>MapRazorPages()</c>.</param>
    /// <param name="contentRoot">The host's content root. Default: the test's output folder.</param>
    public AuditedApp(
        PolicyMode mode = PolicyMode.Audit,
        Action<HttpAuditOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        Action<IApplicationBuilder>? middleware = null,
        Action<IApplicationBuilder>? routed = null,
        Action<IEndpointRouteBuilder>? endpoints = null,
        Action<ControllerActionEndpointConventionBuilder>? controllers = null,
        Action<PageActionEndpointConventionBuilder>? pages = null,
        string? contentRoot = null)
    {
        _mode = mode;
        _configure = configure ?? (_ => { });
        _services = services ?? (_ => { });
        _middleware = middleware ?? (_ => { });
        _routed = routed ?? (_ => { });
        _endpoints = endpoints ?? (_ => { });
        _controllers = controllers ?? (_ => { });
        _pages = pages ?? (_ => { });
        _contentRoot = contentRoot ?? AppContext.BaseDirectory;
        UseKestrel(0);
    }

    public InMemoryAccessEventSink Sink { get; } = new();

    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 11, 30, 12, 0));

    public HandlerCalls Handlers { get; } = new();

    public HttpClient Start()
    {
        StartServer();
        return CreateClient();
    }

    /// <summary>Starts the app and builds every endpoint, as its first request would.</summary>
    public void BuildEndpoints()
    {
        Start();
        _ = Services.GetRequiredService<EndpointDataSource>().Endpoints;
    }

    public async Task<IReadOnlyList<AccessRecord>> RecordsAsync()
    {
        await Services.GetRequiredService<IAccessAuditor>().FlushAsync(TestContext.Current.CancellationToken);
        return Sink.Records;
    }

    // The app lives in the test assembly, not in a project of its own: its content root is the test's output folder
    // unless a test gives another.
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(_contentRoot);

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .ConfigureWebHostDefaults(web => web
                .ConfigureServices(services =>
                {
                    services.AddSingleton<IClock>(Clock);
                    services.AddSingleton(Handlers);
                    services.AddDataAccessAudit(audit => audit
                        .UsePolicy(AccessPolicy.ProjectTexas.WithMode(_mode))
                        .AddSink(Sink)
                        .AddAspNetCore(options =>
                        {
                            options.DefaultDataRegion = "US";
                            _configure(options);
                        }));
                    services.AddControllers().AddApplicationPart(typeof(AuditedApp).Assembly);
                    services.AddRazorPages();
                    _services(services);
                })
                .Configure(app =>
                {
                    app.Use((context, next) =>
                    {
                        if (context.Request.Headers["X-Test-Claims"].ToString() is { Length: > 0 } claims)
                        {
                            context.User = new ClaimsPrincipal(new ClaimsIdentity(
                                claims.Split(';').Select(pair => pair.Split('=', 2)).Select(pair => new Claim(pair[0], pair[1])),
                                authenticationType: "test"));
                        }

                        return next(context);
                    });
                    _middleware(app);
                    app.UseRouting();
                    _routed(app);
                    app.UseEndpoints(endpoints =>
                    {
                        TestEndpoints.Map(endpoints);
                        _endpoints(endpoints);
                        _controllers(endpoints.MapControllers());
                        _pages(endpoints.MapRazorPages());
                    });
                }));
}

/// <summary>Counts handler runs, so a test can tell a refused request never reached its handler.</summary>
public sealed class HandlerCalls
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public string Ran()
    {
        Interlocked.Increment(ref _count);
        return Activity.Current?.TraceId.ToHexString() ?? "no-trace";
    }
}
