using Microsoft.Extensions.Options;

namespace DataAccessAudit.Log;

// The rules the generated validator cannot express: TimeSpan ranges (RangeAttribute over TimeSpan needs reflection,
// which trimming breaks), a key needs its id and the other way round, decoding to enough bytes, and a key file must
// read as one (checked at start-up, so a missing key file stops the host rather than its first write).
internal sealed class FileLogRulesValidator : IValidateOptions<FileLogOptions>
{
    public ValidateOptionsResult Validate(string? name, FileLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RotationInterval < TimeSpan.FromSeconds(1) || options.RotationInterval > TimeSpan.FromDays(366))
        {
            return ValidateOptionsResult.Fail($"FileLogOptions.RotationInterval is {options.RotationInterval}: expected from 00:00:01 to 366.00:00:00.");
        }

        if (options.Retention is { } retention && (retention < TimeSpan.FromMinutes(1) || retention > TimeSpan.FromDays(36525)))
        {
            return ValidateOptionsResult.Fail($"FileLogOptions.Retention is {retention}: expected from 00:01:00 to 36525.00:00:00 (100 years), or null to keep every segment.");
        }

        if (options.KeyFile is not null)
        {
            return ValidateKeyFile(options);
        }

        if (options.Key is null && options.KeyId is null)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.Key is null)
        {
            return ValidateOptionsResult.Fail($"FileLogOptions.KeyId is \"{options.KeyId}\" but FileLogOptions.Key is not set: expected both or neither.");
        }

        if (options.KeyId is null)
        {
            return ValidateOptionsResult.Fail("FileLogOptions.Key is set but FileLogOptions.KeyId is not: expected an id such as \"2026-11\" so that verifiers can pick the key after it rotates.");
        }

        if (!FileLogKeyRing.IsValidKeyId(options.KeyId))
        {
            return ValidateOptionsResult.Fail($"FileLogOptions.KeyId is \"{options.KeyId}\": expected 1 to 64 letters, digits, '-', '_' or '.'.");
        }

        var key = FileLogKeyRing.TryDecodeKey(options.Key);
        if (key is null || key.Length < FileLogOptions.MinKeyLength)
        {
            return ValidateOptionsResult.Fail($"FileLogOptions.Key (id \"{options.KeyId}\") is not base64 of at least {FileLogOptions.MinKeyLength} bytes.");
        }

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult ValidateKeyFile(FileLogOptions options)
    {
        if (options.Key is not null || options.KeyId is not null)
        {
            return ValidateOptionsResult.Fail($"FileLogOptions.KeyFile \"{options.KeyFile}\" is given and FileLogOptions.Key or KeyId is set too: expected the key from one place, the key file or Key with KeyId.");
        }

        try
        {
            FileLogKeyRing.Read(options.KeyFile!);
            return ValidateOptionsResult.Success;
        }
        catch (Exception exception) when (exception is IOException or FormatException or UnauthorizedAccessException or ArgumentException)
        {
            return ValidateOptionsResult.Fail($"FileLogOptions.KeyFile \"{options.KeyFile}\" cannot be used: {exception.Message} Expected a key file made by 'access-report keygen --key-file {options.KeyFile} --id ID'.");
        }
    }
}
