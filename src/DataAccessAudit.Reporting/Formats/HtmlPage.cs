namespace DataAccessAudit.Reporting.Formats;

// Writes lines to the underlying writer with "\n" line ends whatever the platform, so output is byte-identical.
internal sealed class HtmlPage(TextWriter writer)
{
    public void Line(string text)
    {
        writer.Write(text);
        writer.Write('\n');
    }
}
