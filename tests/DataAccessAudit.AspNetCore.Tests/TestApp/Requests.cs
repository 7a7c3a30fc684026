namespace DataAccessAudit.AspNetCore.Tests.TestApp;

/// <summary>Requests as a client sends them: a path and headers.</summary>
public static class Requests
{
    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static (string, string) Claims(string claims) => ("X-Test-Claims", claims);
}
