using Microsoft.Extensions.Options;

namespace DataAccessAudit.Recording;

// The TimeSpan range, which RangeAttribute can only check through reflection (not trimming-safe).
internal sealed class RecordingIntervalValidator : IValidateOptions<RecordingOptions>
{
    public ValidateOptionsResult Validate(string? name, RecordingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.FlushInterval < TimeSpan.FromMilliseconds(1) || options.FlushInterval > TimeSpan.FromHours(1)
            ? ValidateOptionsResult.Fail($"RecordingOptions.FlushInterval is {options.FlushInterval}: expected from 00:00:00.001 to 01:00:00.")
            : ValidateOptionsResult.Success;
    }
}
