using DataAccessAudit.Log;
using DataAccessAudit.Reporting.Formats;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// <c>keygen --key-file FILE --id ID</c>: makes a chain key with <see cref="FileLogKeyRing"/> and writes it to FILE
/// (mode 0600): a new file holding that key, or an existing key file with the key added as the newest, so keys rotate
/// and old segments stay verifiable with the same file.
/// </summary>
internal static class KeyGeneration
{
    public static int Run(string keyFile, string id, Terminal terminal)
    {
        if (Directory.Exists(keyFile))
        {
            throw new UsageException($"--key-file '{keyFile}': is a directory; expected the key file to create or add to.");
        }

        var existed = File.Exists(keyFile);
        var current = existed ? ReadExisting(keyFile) : null;
        if (current is not null && current.Keys.ContainsKey(id))
        {
            throw new UsageException($"--id '{id}': the key file '{keyFile}' already holds a key with this id; a new key needs a new id.");
        }

        FileLogKeyRing ring;
        try
        {
            ring = current is null ? FileLogKeyRing.Generate(id) : current.WithNewKey(id);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException($"--id '{id}': expected a key id of 1 to 64 letters, digits, '-', '_' or '.', such as 2026-11.", exception);
        }

        try
        {
            ring.Write(keyFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--key-file '{keyFile}': cannot write the key file: {exception.Message}", exception);
        }

        terminal.Output.WriteLine(existed
            ? $"Added key '{id}' to {keyFile} ({ReportFigures.Count(ring.Keys.Count, "key", "keys")}; new segments are chained with '{id}')."
            : $"Wrote key '{id}' to {keyFile} (readable by you only).");
        terminal.Output.WriteLine($"Record with it: FileLogOptions.KeyFile = {keyFile} (DataAccessAudit:FileLog:KeyFile); verify with: access-report verify --log DIR --key-file {keyFile} --require-key");
        return ExitCodes.Written;
    }

    private static FileLogKeyRing ReadExisting(string keyFile)
    {
        try
        {
            return FileLogKeyRing.Read(keyFile);
        }
        catch (FormatException exception)
        {
            throw new UsageException($"--key-file: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--key-file '{keyFile}': cannot read the key file: {exception.Message}", exception);
        }
    }
}
