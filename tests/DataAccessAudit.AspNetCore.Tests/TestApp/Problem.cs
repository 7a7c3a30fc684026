using System.Net.Http.Json;
using System.Text.Json;

namespace DataAccessAudit.AspNetCore.Tests.TestApp;

/// <summary>An RFC 9457 problem-details body as a client reads it.</summary>
public sealed record Problem(string? Type, string? Title, int? Status, string? Detail, JsonElement Body)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return new Problem(
            body.GetProperty("type").GetString(),
            body.GetProperty("title").GetString(),
            body.GetProperty("status").GetInt32(),
            body.TryGetProperty("detail", out var detail) ? detail.GetString() : null,
            body);
    }

    public string Member(string name) => Body.GetProperty(name).GetString()!;

    public string[] Findings => [.. Body.GetProperty("findings").EnumerateArray().Select(finding => finding.GetString()!)];
}
