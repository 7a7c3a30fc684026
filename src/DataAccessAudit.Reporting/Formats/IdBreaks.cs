namespace DataAccessAudit.Reporting.Formats;

/// <summary>
/// Where the human formats (the HTML page and the <c>access-report</c> console) may break a long id over lines: only
/// after the separators of paths, hosts, e-mail addresses, ARNs and slugs (<c>/ - _ . : @</c>), so that each piece is
/// a word a reader recognises and no id is split mid-word.
/// </summary>
public static class IdBreaks
{
    /// <summary>Whether a line may break after <paramref name="character"/>.</summary>
    /// <param name="character">A character of an id.</param>
    /// <returns>True for <c>/ - _ . : @</c>; false for every other character.</returns>
    public static bool AllowedAfter(char character) => character is '/' or '-' or '_' or '.' or ':' or '@';
}
