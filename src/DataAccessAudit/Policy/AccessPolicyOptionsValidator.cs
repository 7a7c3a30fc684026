using Microsoft.Extensions.Options;

namespace DataAccessAudit.Policy;

// Validates a policy given as options at start-up with the same rules as AccessPolicyOptions.ToPolicy, so an invalid
// policy stops the host with every problem named instead of failing at the first recorded access.
internal sealed class AccessPolicyOptionsValidator : IValidateOptions<AccessPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(problem => $"Data access audit policy: {problem}"));
    }
}
