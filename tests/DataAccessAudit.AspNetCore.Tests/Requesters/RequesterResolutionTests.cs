using System.Security.Claims;
using DataAccessAudit.AspNetCore.Tests.TestApp;
using DataAccessAudit.Events;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static DataAccessAudit.AspNetCore.Tests.TestApp.Requests;

namespace DataAccessAudit.AspNetCore.Tests.Requesters;

public sealed class RequesterResolutionTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"countries-{Guid.NewGuid():N}.mmdb");

    public RequesterResolutionTests() => MaxMindDatabase.Write(_database, new Dictionary<string, string>
    {
        ["203.0.113.0/24"] = "CN",
        ["198.51.100.0/24"] = "US",
        ["192.0.2.0/25"] = "IE",
    });

    public void Dispose() => File.Delete(_database);

    [Fact]
    public async Task Claims_GiveIdRegionOrganizationAndRoles()
    {
        var requester = await RequesterAsync(_ => { }, Claims($"sub=emp-4411;region=cn;org=ByteDance;{ClaimTypes.Role}=master-admin;{ClaimTypes.Role}=engineer"));

        Assert.Equal("emp-4411", requester.Id);
        Assert.Equal(Region.Parse("CN"), requester.Region);
        Assert.Equal("ByteDance", requester.Organization);
        Assert.Equal(["master-admin", "engineer"], requester.Roles);
    }

    [Fact]
    public async Task ConfiguredClaimTypes_AreTheOnesRead()
    {
        var requester = await RequesterAsync(
            options =>
            {
                options.IdClaimTypes.Clear();
                options.IdClaimTypes.Add("employee");
                options.RegionClaimType = "country";
                options.OrganizationClaimType = "company";
            },
            Claims("sub=ignored;region=US;employee=emp-7;country=SG;company=TikTok"));

        Assert.Equal("emp-7", requester.Id);
        Assert.Equal(Region.Parse("SG"), requester.Region);
        Assert.Equal("TikTok", requester.Organization);
    }

    [Fact]
    public async Task NothingKnown_IsAnonymousWithUnknownRegion_AndThePolicyReportsIt()
    {
        await using var app = new AuditedApp();
        var client = app.Start();

        await client.GetAsync("/users/1/messages", TestContext.Current.CancellationToken);

        var record = Assert.Single(await app.RecordsAsync());
        Assert.Equal("anonymous", record.Event.Requester.Id);
        Assert.True(record.Event.Requester.Region.IsUnknown);
        Assert.True(record.Decision!.Value.Findings.Contains(Finding.UnknownRequesterRegion));
    }

    [Fact]
    public async Task Headers_FromATrustedProxy_GiveIdRegionAndOrganization()
    {
        var requester = await RequesterAsync(
            TrustedGateway("127.0.0.1"),
            ("X-Requester-Id", "emp-2"), ("X-Requester-Region", "SG"), ("X-Requester-Organization", "TikTok SG"));

        Assert.Equal("emp-2", requester.Id);
        Assert.Equal(Region.Parse("SG"), requester.Region);
        Assert.Equal("TikTok SG", requester.Organization);
    }

    [Fact]
    public async Task Headers_FromAPeerThatIsNoTrustedProxy_AreIgnored()
    {
        var requester = await RequesterAsync(
            TrustedGateway("10.0.0.0/8"),
            ("X-Requester-Id", "emp-2"), ("X-Requester-Region", "US"), ("X-Requester-Organization", "TikTok US"));

        Assert.Equal("anonymous", requester.Id);
        Assert.True(requester.Region.IsUnknown);
        Assert.Null(requester.Organization);
    }

    [Fact]
    public async Task RegionClaim_WinsOverTheTrustedHeader()
    {
        var requester = await RequesterAsync(TrustedGateway("127.0.0.0/8"), Claims("sub=emp-1;region=CN"), ("X-Requester-Region", "US"));

        Assert.Equal(Region.Parse("CN"), requester.Region);
    }

    [Theory]
    [InlineData("Asia/Singapore", "SG")]
    [InlineData("America/Los_Angeles", "US")]
    [InlineData("Etc/UTC", "ZZ")]
    [InlineData("Mars/Olympus_Mons", "ZZ")]
    public async Task TimeZoneHeader_GivesTheZonesCountry_OrUnknown(string zone, string expected)
    {
        var requester = await RequesterAsync(options => options.TimeZoneHeader = "X-Time-Zone", Claims("sub=emp-1"), ("X-Time-Zone", zone));

        Assert.Equal(Region.Parse(expected), requester.Region);
    }

    [Theory]
    [InlineData("203.0.113.9", "CN")]
    [InlineData("198.51.100.20, 127.0.0.1", "US")]
    [InlineData("203.0.113.9, 192.0.2.1", "IE")]
    [InlineData("192.0.2.200", "ZZ")]
    [InlineData("not-an-address", "ZZ")]
    public async Task IpDatabase_LooksUpTheLastUntrustedAddressAProxyForwarded(string forwardedFor, string expected)
    {
        var requester = await RequesterAsync(
            options =>
            {
                options.TrustedProxies.Add("127.0.0.1");
                options.IpDatabasePath = _database;
            },
            Claims("sub=emp-1"),
            ("X-Forwarded-For", forwardedFor));

        Assert.Equal(Region.Parse(expected), requester.Region);
    }

    [Fact]
    public async Task IpDatabase_IgnoresForwardedForFromAnUntrustedPeer_AndLooksUpThePeer()
    {
        var requester = await RequesterAsync(options => options.IpDatabasePath = _database, Claims("sub=emp-1"), ("X-Forwarded-For", "198.51.100.20"));

        // The peer is 127.0.0.1, which the database does not list.
        Assert.True(requester.Region.IsUnknown);
    }

    [Fact]
    public async Task AppResolver_IsAskedWhenNoConfiguredSourceTells()
    {
        await using var app = new AuditedApp(services: services =>
            services.AddSingleton<IRequesterRegionResolver<HttpContext>>(new FixedRegion(Region.Parse("GB"))));
        var client = app.Start();

        await client.GetAsync("/users/1/messages", Claims("sub=emp-1"));
        await client.GetAsync("/users/1/messages", Claims("sub=emp-1;region=CN"));

        Assert.Equal([Region.Parse("GB"), Region.Parse("CN")], (await app.RecordsAsync()).Select(record => record.Event.Requester.Region));
    }

    [Fact]
    public async Task RequesterFeatureSetByTheApp_IsRecordedAsIs()
    {
        var backup = new Requester("svc-backup", Region.Parse("SG"));
        await using var app = new AuditedApp(middleware: pipeline => pipeline.Use((context, next) =>
        {
            context.Features.Set(backup);
            return next(context);
        }));
        var client = app.Start();

        await client.GetAsync("/users/1/messages", Claims("sub=emp-1;region=US"));

        Assert.Same(backup, Assert.Single(await app.RecordsAsync()).Event.Requester);
    }

    [Fact]
    public async Task TimeZoneHeader_DoesNotOverrideTheIpDatabase_SoEnforceModeStillRefusesTheClient()
    {
        // The database places the test's own address (the client, no proxy) in CN; the client claims New York time.
        var database = Path.Combine(Path.GetTempPath(), $"loopback-{Guid.NewGuid():N}.mmdb");
        MaxMindDatabase.Write(database, new Dictionary<string, string> { ["127.0.0.0/8"] = "CN" });
        try
        {
            await using var app = new AuditedApp(PolicyMode.Enforce, options =>
            {
                options.IpDatabasePath = database;
                options.TimeZoneHeader = "X-Time-Zone";
            });
            var client = app.Start();

            var response = await client.GetAsync("/users/1/messages", Claims("sub=emp-4411"), ("X-Time-Zone", "America/New_York"));

            Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(Region.Parse("CN"), Assert.Single(await app.RecordsAsync()).Event.Requester.Region);
            Assert.Equal(0, app.Handlers.Count);
        }
        finally
        {
            File.Delete(database);
        }
    }

    [Fact]
    public async Task IpDatabase_RelativePath_IsTakenFromTheContentRoot()
    {
        // The database sits beside the app, which is not the process's current directory (a service's is usually /).
        var contentRoot = Directory.CreateTempSubdirectory("content-root-").FullName;
        MaxMindDatabase.Write(Path.Combine(contentRoot, "GeoLite2-Country.mmdb"), new Dictionary<string, string> { ["127.0.0.0/8"] = "CN" });
        try
        {
            await using var app = new AuditedApp(PolicyMode.Audit, options => options.IpDatabasePath = "GeoLite2-Country.mmdb", contentRoot: contentRoot);
            var client = app.Start();

            await client.GetAsync("/users/1/messages", Claims("sub=emp-1"));

            Assert.Equal(Region.Parse("CN"), Assert.Single(await app.RecordsAsync()).Event.Requester.Region);
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    [Fact]
    public async Task TimeZoneHeader_DoesNotOverrideTheAppsResolver()
    {
        await using var app = new AuditedApp(
            configure: options => options.TimeZoneHeader = "X-Time-Zone",
            services: services => services.AddSingleton<IRequesterRegionResolver<HttpContext>>(new FixedRegion(Region.Parse("GB"))));
        var client = app.Start();

        await client.GetAsync("/users/1/messages", Claims("sub=emp-1"), ("X-Time-Zone", "America/New_York"));

        Assert.Equal(Region.Parse("GB"), Assert.Single(await app.RecordsAsync()).Event.Requester.Region);
    }

    [Fact]
    public async Task RequesterAskedForBeforeAuthentication_IsResolvedAgainForTheAuthenticatedUser()
    {
        await using var app = new AuditedApp(middleware: pipeline =>
        {
            // Middleware before authentication whose database query asks for the requester.
            pipeline.Use((context, next) =>
            {
                Assert.Equal("anonymous", context.RequestServices.GetRequiredService<IRequesterAccessor>().Requester!.Id);
                return next(context);
            });

            // Authentication replaces the request's user.
            pipeline.Use((context, next) =>
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "emp-4411"), new Claim("region", "CN")], "bearer"));
                return next(context);
            });
        });
        var client = app.Start();

        await client.GetAsync("/users/1/messages", TestContext.Current.CancellationToken);

        var requester = Assert.Single(await app.RecordsAsync()).Event.Requester;
        Assert.Equal("emp-4411", requester.Id);
        Assert.Equal(Region.Parse("CN"), requester.Region);
    }

    [Fact]
    public async Task ClaimsOfAnIdentityThatIsNotAuthenticated_AreNotBelieved()
    {
        // A guest identity the app built from what the client sent: no authentication type, so not authenticated.
        await using var app = new AuditedApp(PolicyMode.Enforce, middleware: pipeline => pipeline.Use((context, next) =>
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "ceo"), new Claim("region", "US"), new Claim("org", "Board")]));
            return next(context);
        }));
        var client = app.Start();

        var response = await client.GetAsync("/users/1/messages", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        var requester = Assert.Single(await app.RecordsAsync()).Event.Requester;
        Assert.Equal("anonymous", requester.Id);
        Assert.True(requester.Region.IsUnknown);
        Assert.Null(requester.Organization);
    }

    [Fact]
    public async Task IdHeaderHoldingAList_FromATrustedProxy_IsNotBelieved()
    {
        // A gateway that appends its value to the one the client sent.
        var requester = await RequesterAsync(TrustedGateway("127.0.0.1"), ("X-Requester-Id", "ceo, emp-4411"), ("X-Requester-Region", "US, CN"));

        Assert.Equal("anonymous", requester.Id);
        Assert.True(requester.Region.IsUnknown);
    }

    // A stronger source that is there but names no region places the requester nowhere: the client's own time zone,
    // which anyone can set, must not then place it at home (and let enforce mode allow it).
    [Theory]
    [InlineData("claim", "CHN")]
    [InlineData("claim", "China")]
    [InlineData("claim", "ZZ")]
    [InlineData("proxy", "CN, US")]
    [InlineData("proxy", "CHN")]
    [InlineData("proxy", "ZZ")]
    public async Task RegionThatIsNotOne_FromAClaimOrATrustedProxy_IsUnknown_NotTheClientsTimeZone(string source, string value)
    {
        var requester = await RequesterAsync(
            options =>
            {
                TrustedGateway("127.0.0.1")(options);
                options.TimeZoneHeader = "X-Time-Zone";
            },
            source == "claim" ? Claims($"sub=emp-1;region={value}") : ("X-Requester-Region", value),
            ("X-Time-Zone", "America/New_York"));

        Assert.True(requester.Region.IsUnknown, requester.Region.Code);
    }

    [Fact]
    public async Task RegionHeaderSentTwice_FromATrustedProxy_IsUnknown_NotTheClientsTimeZone()
    {
        var requester = await RequesterAsync(
            options =>
            {
                TrustedGateway("127.0.0.1")(options);
                options.TimeZoneHeader = "X-Time-Zone";
            },
            ("X-Requester-Region", "US"),
            ("X-Requester-Region", "CN"),
            ("X-Time-Zone", "America/New_York"));

        Assert.True(requester.Region.IsUnknown, requester.Region.Code);
    }

    [Fact]
    public async Task IdClaimOfOnlySpaces_IsAbsent_NotAnIdNamingNobody()
    {
        var requester = await RequesterAsync(_ => { }, Claims("sub=  ;region=US"));

        Assert.Equal("anonymous", requester.Id);
    }

    [Fact]
    public async Task RegionClaimWithSpaces_IsTrimmedAsTheHeaderIs()
    {
        var requester = await RequesterAsync(_ => { }, Claims("sub=emp-1;region= CN "));

        Assert.Equal(Region.Parse("CN"), requester.Region);
    }

    private static Action<HttpAuditOptions> TrustedGateway(string proxy) => options =>
    {
        options.TrustedProxies.Add(proxy);
        options.RequesterIdHeader = "X-Requester-Id";
        options.RegionHeader = "X-Requester-Region";
        options.OrganizationHeader = "X-Requester-Organization";
    };

    private static async Task<Requester> RequesterAsync(Action<HttpAuditOptions> configure, params (string, string)[] headers)
    {
        await using var app = new AuditedApp(PolicyMode.Audit, configure);
        var client = app.Start();
        var response = await client.GetAsync("/users/1/messages", headers);
        response.EnsureSuccessStatusCode();
        return Assert.Single(await app.RecordsAsync()).Event.Requester;
    }

    private sealed class FixedRegion(Region region) : IRequesterRegionResolver<HttpContext>
    {
        public bool TryResolve(HttpContext source, out Region resolved)
        {
            resolved = region;
            return true;
        }
    }
}
