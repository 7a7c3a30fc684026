using DataAccessAudit.Interchange;
using DataAccessAudit.Policy;
using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Turns <c>--policy</c> into a policy: the preset name <c>project-texas</c> (the default), or the path of a policy
/// JSON file (docs/policies/project-texas.json is the preset written out) read with <see cref="AccessPolicyJson.Load"/>.
/// An invalid file is a usage error listing every problem, each naming the file and the entry.
/// </summary>
internal static class PolicySource
{
    public const string ProjectTexasPreset = AccessPolicyPresets.ProjectTexasName;

    public static AccessPolicy Load(string? policy)
    {
        if (AccessPolicyPresets.TryGet(policy ?? ProjectTexasPreset, out var preset))
        {
            return preset;
        }

        if (!File.Exists(policy))
        {
            throw new UsageException(Directory.Exists(policy)
                ? $"--policy '{policy}': is a directory; expected a policy JSON file or the preset name '{ProjectTexasPreset}'."
                : $"--policy '{policy}': file not found; expected a policy JSON file or the preset name '{ProjectTexasPreset}'.");
        }

        try
        {
            return AccessPolicyJson.Load(policy);
        }
        catch (InvalidPolicyException exception)
        {
            var problems = exception.Problems.Count > 0 ? exception.Problems : [$"{policy}: {exception.Message}"];
            throw new UsageException([$"--policy '{policy}': not a valid policy ({ReportFigures.Count(problems.Count, "problem", "problems")}):", .. problems], exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--policy '{policy}': cannot read the file: {exception.Message}", exception);
        }
    }
}
