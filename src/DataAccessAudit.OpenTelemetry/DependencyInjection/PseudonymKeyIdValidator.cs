using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.DependencyInjection;

/// <summary>
/// Requires <see cref="HmacRedactorOptions.KeyId"/>, which the redaction library leaves optional: it prefixes every
/// pseudonym, so an auditor can tell which key made it and pseudonyms made before and after a key rotation are never
/// mistaken for one another. The library's own validator checks the key itself (base64, at least 44 characters).
/// </summary>
internal sealed class PseudonymKeyIdValidator : IValidateOptions<HmacRedactorOptions>
{
    public ValidateOptionsResult Validate(string? name, HmacRedactorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.KeyId is null
            ? ValidateOptionsResult.Fail(
                "HmacRedactorOptions.KeyId is not set: DataAccessAudit pseudonyms need a key id to tell keys apart. Set a number and change it whenever the key rotates.")
            : ValidateOptionsResult.Success;
    }
}
