namespace DataAccessAudit.Tests;

internal static class TestData
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);
}
