using Microsoft.Extensions.Options;

namespace DataAccessAudit.Transparency;

// Checks the checkpoint options when the host starts, naming the bad value and what was expected.
internal sealed class CheckpointOptionsValidator : IValidateOptions<CheckpointOptions>
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, CheckpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeyFile))
        {
            failures.Add("CheckpointOptions.KeyFile is required: the path of the log's signing key (access-report keygen).");
        }

        if (options.Interval < MinInterval || options.Interval > MaxInterval)
        {
            failures.Add($"CheckpointOptions.Interval is {options.Interval}: expected from {MinInterval} to {MaxInterval}.");
        }

        if (options.RecordInterval is { } records && (records < 1 || records > 1_000_000_000))
        {
            failures.Add($"CheckpointOptions.RecordInterval is {records}: expected from 1 to 1000000000, or null to sign by time only.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
