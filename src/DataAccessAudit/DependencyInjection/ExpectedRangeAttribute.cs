using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace DataAccessAudit.DependencyInjection;

// A range an integer option must be in, whose message names the value given as well as the range expected
// ("FileLogOptions.MaxSegmentSize is 100: expected from 4096 to 9223372036854775807."), as the options' other rules
// do; RangeAttribute's own message names only the range. Checked at start-up by the generated validators.
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ExpectedRangeAttribute(long minimum, long maximum) : ValidationAttribute
{
    public long Minimum { get; } = minimum;

    public long Maximum { get; } = maximum;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        // Null is left to Required, as RangeAttribute leaves it.
        if (value is null || (Convert.ToInt64(value, CultureInfo.InvariantCulture) is var number && number >= Minimum && number <= Maximum))
        {
            return ValidationResult.Success;
        }

        return new ValidationResult(
            string.Create(CultureInfo.InvariantCulture, $"{validationContext.ObjectType.Name}.{validationContext.MemberName} is {value}: expected from {Minimum} to {Maximum}."),
            validationContext.MemberName is { } member ? [member] : null);
    }
}
