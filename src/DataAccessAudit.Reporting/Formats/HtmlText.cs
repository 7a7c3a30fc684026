using System.Net;

namespace DataAccessAudit.Reporting.Formats;

// Every value that goes into the HTML report passes through here: element text and attribute values alike
// (quotes are encoded too), so an id of "<script>" or "\" onload=\"" stays text.
internal static class HtmlText
{
    public static string Escape(string value) => WebUtility.HtmlEncode(value);
}
