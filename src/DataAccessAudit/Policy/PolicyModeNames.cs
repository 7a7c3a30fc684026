namespace DataAccessAudit.Policy;

// The names of PolicyMode in policy files and configuration.
internal static class PolicyModeNames
{
    public const string Audit = "audit";
    public const string Enforce = "enforce";

    public static bool TryParse(string? name, out PolicyMode mode)
    {
        if (name is null || string.Equals(name, Audit, StringComparison.OrdinalIgnoreCase))
        {
            mode = PolicyMode.Audit;
            return true;
        }

        mode = PolicyMode.Enforce;
        return string.Equals(name, Enforce, StringComparison.OrdinalIgnoreCase);
    }
}
