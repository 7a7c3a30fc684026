using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace DataAccessAudit.PostgreSql.Writing;

// Keeps spill files readable by their owner only (0600) and the spill directory enterable by its owner only (0700),
// as the store creates them: they hold who accessed whose personal data. Files and directories from before the store
// created them so, or from a hand that loosened them, are tightened when the store opens them, and the change is
// reported so that the operator knows the data was exposed for a while. What cannot be tightened is reported with
// the reason: the process is not the owner (only the owner or root may change a mode), or the directory is shared.
[UnsupportedOSPlatform("windows")]
internal static class SpillModes
{
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    // Through the open handle (fchmod), so that the file tightened is the very file opened, not one put in its place.
    public static SpillModeChange? TightenFile(SafeFileHandle handle, string path)
    {
        var mode = System.IO.File.GetUnixFileMode(handle);
        if ((mode & GroupAndOthers) == 0)
        {
            return null;
        }

        try
        {
            System.IO.File.SetUnixFileMode(handle, File);
            return new SpillModeChange("file", path, Format(mode), Format(File), null);
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            return new SpillModeChange("file", path, Format(mode), Format(File), Why(exception));
        }
    }

    // A directory holding anything but this store's spill files (spill-<instance id>.jsonl and their .torn-<time>
    // side files), or a sticky one like /tmp, is shared with others: tightening it could lock them out of their own
    // files, so it is left as it is and reported; the spill files in it stay 0600 either way.
    public static SpillModeChange? TightenDirectory(string directory)
    {
        var mode = System.IO.File.GetUnixFileMode(directory);
        if ((mode & GroupAndOthers) == 0)
        {
            return null;
        }

        if ((mode & UnixFileMode.StickyBit) != 0)
        {
            return new SpillModeChange("directory", directory, Format(mode), Format(Directory),
                "it is sticky, shared by several users as /tmp is, and tightening it would lock them out; give PostgreSqlStoreOptions.SpillDirectory a directory of the store's own");
        }

        if (System.IO.Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).FirstOrDefault(name => !SpillFile.IsSpillFileName(name!)) is { } other)
        {
            return new SpillModeChange("directory", directory, Format(mode), Format(Directory),
                $"it holds other entries than spill files (such as '{other}'), and tightening it could lock out whoever uses them; give PostgreSqlStoreOptions.SpillDirectory a directory of the store's own");
        }

        try
        {
            System.IO.File.SetUnixFileMode(directory, Directory);
            return new SpillModeChange("directory", directory, Format(mode), Format(Directory), null);
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            return new SpillModeChange("directory", directory, Format(mode), Format(Directory), Why(exception));
        }
    }

    private static string Why(Exception exception) => exception is UnauthorizedAccessException
        ? $"this process (user '{Environment.UserName}') may not change its mode, which only its owner or root may do ({exception.Message.TrimEnd('.')})"
        : $"changing its mode failed ({exception.Message.TrimEnd('.')})";

    private static string Format(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
