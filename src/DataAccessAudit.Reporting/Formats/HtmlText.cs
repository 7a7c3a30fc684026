using System.Net;

namespace DataAccessAudit.Reporting.Formats;

// Every value that goes into the HTML report passes through here: element text and attribute values alike
// (quotes are encoded too), so an id of "<script>" or "\" onload=\"" stays text; control and bidi-override characters
// are shown as visible escapes (VisibleText), so they neither hide nor reorder what the reader sees.
internal static class HtmlText
{
    public static string Escape(string value) => WebUtility.HtmlEncode(VisibleText.Escape(value));
}
