using DataAccessAudit.Classification;

namespace DataAccessAudit.Policy;

// The names of CrossBorderRule in policy files and configuration.
internal static class CrossBorderRuleNames
{
    public const string RequiresApproval = "requires-approval";
    public const string Allowed = "allowed";

    public static string Format(CrossBorderRule rule) => rule == CrossBorderRule.Allowed ? Allowed : RequiresApproval;

    public static bool TryParse(string? name, out CrossBorderRule rule)
    {
        if (string.Equals(name, RequiresApproval, StringComparison.OrdinalIgnoreCase))
        {
            rule = CrossBorderRule.RequiresApproval;
            return true;
        }

        rule = CrossBorderRule.Allowed;
        return string.Equals(name, Allowed, StringComparison.OrdinalIgnoreCase);
    }
}
