extern alias ReportGenerator;

using System.Net;
using System.Text.Json;
using DataAccessAudit.Policy;
using DataAccessAudit.Regions;
using ReportGenerator::DataAccessAudit.ReportGenerator;

namespace DataAccessAudit.Samples.WebApi.Tests;

/// <summary>The README's curl session, request for request, and the report the compliance team then runs on the log.</summary>
public sealed class CurlSessionTests
{
    [Fact]
    public async Task ReadmeSession_AllowsFlagsAndDenies_AndTheLogFeedsTheReport()
    {
        await using var app = new WebApiApp();
        var client = app.Start();

        var allowed = await GetAsync(client, "/users/8812/messages", ("X-Employee-Id", "emp-1001"), ("X-Employee-Region", "US"), ("X-Employee-Organization", "TikTok US"));
        var flagged = await GetAsync(client, "/users/8812/profile", ("X-Employee-Id", "emp-3310"));
        var denied = await GetAsync(client, "/users/8812/messages", ("X-Employee-Id", "emp-4411"), ("X-Employee-Region", "CN"), ("X-Employee-Organization", "ByteDance"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("still on for saturday?", await allowed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, flagged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("application/problem+json", denied.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("saturday", await denied.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await app.FlushAsync();
        Assert.Equal(
            [("user/8812/messages", AccessOutcome.Allowed), ("Message", AccessOutcome.Allowed), ("user/8812/profile", AccessOutcome.Flagged), ("Profile", AccessOutcome.Flagged), ("user/8812/messages", AccessOutcome.Denied)],
            app.Records.Records.Select(record => (record.Event.Resource.Id, record.Decision!.Value.Outcome)));

        var reportDirectory = Path.Combine(app.DataDirectory, "report");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = AccessReportCommandLine.Run(["report", "--log", app.LogDirectory, "--format", "json", "--out", reportDirectory], Terminal.Plain(output, error));

        Assert.True(exitCode == 0, error.ToString());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reportDirectory, "report.json"), TestContext.Current.CancellationToken));
        var totals = report.RootElement.GetProperty("totals");
        Assert.Equal(5, totals.GetProperty("events").GetInt32());
        Assert.Equal(1, totals.GetProperty("denied").GetInt32());
        Assert.Equal(2, totals.GetProperty("flagged").GetInt32());
    }

    [Fact]
    public async Task OneRequest_TheEndpointAndItsQuery_ShareTheRequesterAndTraceId()
    {
        await using var app = new WebApiApp();
        var client = app.Start();

        await GetAsync(client, "/users/8812/contacts", ("X-Employee-Id", "emp-1001"), ("X-Employee-Region", "US"), ("X-Employee-Organization", "TikTok US"));

        await app.FlushAsync();
        var records = app.Records.Records;
        Assert.Equal(2, records.Count);
        var (endpoint, query) = (records[0].Event, records[1].Event);
        Assert.Equal("user/8812/contacts", endpoint.Resource.Id);
        Assert.Equal("Contact", query.Resource.Id);
        Assert.Same(endpoint.Requester, query.Requester);
        Assert.Equal(Region.Parse("US"), query.Requester.Region);
        Assert.NotNull(endpoint.TraceId);
        Assert.Equal(endpoint.TraceId, query.TraceId);
        Assert.Equal(1, query.Subjects);
    }

    [Fact]
    public async Task SecondStart_KeepsTheSeededDatabase()
    {
        await using var app = new WebApiApp();
        var client = app.Start();
        await GetAsync(client, "/users/8813/profile", ("X-Employee-Id", "emp-1001"), ("X-Employee-Region", "US"));

        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "social.db")));
        Assert.True(Directory.EnumerateFiles(app.LogDirectory).Any());
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
