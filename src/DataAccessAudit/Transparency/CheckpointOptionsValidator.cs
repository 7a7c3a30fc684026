using DataAccessAudit.Log;
using Microsoft.Extensions.Options;

namespace DataAccessAudit.Transparency;

// Checks the checkpoint options when the host starts, naming the bad value and what was expected.
internal sealed class CheckpointOptionsValidator : IValidateOptions<CheckpointOptions>
{
    private const string ExpectedKey = "expected the log's checkpoint signing key, made by 'access-report keygen --name NAME --out FILE'.";

    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    // The key file last found to hold a signing key. The options are validated again whenever they are built: once
    // for IOptions and once for the start-up check, but also for every scope that asks for IOptionsSnapshot and on
    // every reload of bound configuration. Reading the file each time would put it on a request's path, and a bad key
    // rotated in later would fail that request instead of the checkpoint (logged) that the writer's own read fails.
    private string? _goodKeyFile;

    public ValidateOptionsResult Validate(string? name, CheckpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeyFile))
        {
            failures.Add("CheckpointOptions.KeyFile is required: the path of the log's signing key (access-report keygen).");
        }
        else if (!string.Equals(options.KeyFile, Volatile.Read(ref _goodKeyFile), StringComparison.Ordinal))
        {
            if (KeyFileProblem(options.KeyFile) is { } problem)
            {
                failures.Add($"CheckpointOptions.KeyFile \"{options.KeyFile}\" {problem}; {ExpectedKey}");
            }
            else
            {
                Volatile.Write(ref _goodKeyFile, options.KeyFile);
            }
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

    // Whether the key file can sign the log's checkpoints, read as the writer reads it; null when it can. Without this
    // the host would start and every checkpoint would fail, logged only. The problem never quotes the file's text: it
    // may be a secret key.
    private static string? KeyFileProblem(string path)
    {
        // A FIFO would block the start-up until something writes to it; a directory is no key.
        if (FileKind.DescribeIfNotRegular(path) is { } kind)
        {
            return $"is {kind}, not a key file";
        }

        string text;
        try
        {
            text = SmallFile.ReadAllText(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return "does not exist";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot be read ({exception.Message})";
        }

        NoteSigningKey key;
        try
        {
            key = NoteSigningKey.Parse(text);
        }
        catch (FormatException exception)
        {
            return IsChainKeyFile(text)
                ? "holds the file log's chain keys ('id:base64' lines, for FileLogOptions.KeyFile), not a checkpoint signing key"
                : $"does not hold a signing key ({exception.Message.TrimEnd('.')})";
        }

        return key.IsCosigner
            ? $"holds a witness's cosigner key ({key.Name}), which cosigns a log's checkpoints and cannot sign them"
            : null;
    }

    private static bool IsChainKeyFile(string text)
    {
        try
        {
            FileLogKeyRing.Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
