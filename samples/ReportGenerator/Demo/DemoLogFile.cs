namespace DataAccessAudit.ReportGenerator.Demo;

/// <summary>The file the demo's stand-in sink appends to.</summary>
internal sealed record DemoLogFile(string Path);
