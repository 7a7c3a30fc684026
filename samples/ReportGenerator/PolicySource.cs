using DataAccessAudit.Policy;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Turns <c>--policy</c> into a policy. SEAM: the core is gaining policy JSON loading; once merged, replace the body of
/// <see cref="Load"/> with that loader (a file path gives the policy in the file; its errors become a
/// <see cref="UsageException"/> naming the file and the field). Until then only the built-in preset is accepted.
/// </summary>
internal static class PolicySource
{
    public const string ProjectTexasPreset = "project-texas";

    public static AccessPolicy Load(string? policy)
    {
        if (policy is null || string.Equals(policy, ProjectTexasPreset, StringComparison.Ordinal))
        {
            return AccessPolicy.ProjectTexas;
        }

        throw new UsageException(
            $"--policy '{policy}': loading a policy from a file is not supported by this build yet; use the preset name '{ProjectTexasPreset}' (the default).");
    }
}
