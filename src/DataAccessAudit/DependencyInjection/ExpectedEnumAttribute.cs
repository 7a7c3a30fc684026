using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace DataAccessAudit.DependencyInjection;

// An enum option that must hold one of its named values, whose message names the value given and the names expected
// ("RecordingOptions.FullMode is 7: expected Block, Drop."); EnumDataTypeAttribute's says only that it is invalid.
// Checked at start-up by the generated validators.
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ExpectedEnumAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not Enum given || Enum.IsDefined(given.GetType(), given))
        {
            return ValidationResult.Success;
        }

        return new ValidationResult(
            string.Create(CultureInfo.InvariantCulture, $"{validationContext.ObjectType.Name}.{validationContext.MemberName} is {given:D}: expected {string.Join(", ", Enum.GetNames(given.GetType()))}."),
            validationContext.MemberName is { } member ? [member] : null);
    }
}
