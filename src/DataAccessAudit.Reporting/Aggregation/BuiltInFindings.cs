using DataAccessAudit.Policy;

namespace DataAccessAudit.Reporting.Aggregation;

// The built-in findings as small integers, so that counting them is an array increment rather than a lookup by name.
internal static class BuiltInFindings
{
    public static readonly Finding[] All =
    [
        Finding.CrossBorderProtectedAccess,
        Finding.UnknownRequesterRegion,
        Finding.CountryOfConcernAccess,
        Finding.StoredOutsideHomeJurisdiction,
        Finding.UnknownDataCategory,
    ];

    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Length; i++)
        {
            if (ReferenceEquals(All[i].Name, name))
            {
                return i;
            }
        }

        for (var i = 0; i < All.Length; i++)
        {
            if (string.Equals(All[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
