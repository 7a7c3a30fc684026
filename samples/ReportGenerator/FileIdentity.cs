using System.Globalization;
using System.Runtime.InteropServices;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Which file a path names, so that one file reached by two paths (a symbolic link, a hard link, another spelling) is
/// read once. On Linux it is the file's device and inode, read with statx(2) (symbolic links followed): the only
/// thing two hard links share, and .NET exposes no inode. Elsewhere it is the full path with symbolic links resolved,
/// which tells a symbolic link but not a hard link.
/// </summary>
internal static class FileIdentity
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int StatxMaskOffset = 0;
    private const int StatxInoOffset = 32;
    private const int StatxDevMajorOffset = 136;
    private const int StatxDevMinorOffset = 140;

    /// <summary>A key equal for two paths to the same file; for a path that cannot be looked at, its full path.</summary>
    public static string Of(string path)
    {
        if (OperatingSystem.IsLinux() && LinuxDeviceAndInode(path) is { } inode)
        {
            return inode;
        }

        var fullPath = Path.GetFullPath(path);
        try
        {
            return "path:" + (File.ResolveLinkTarget(fullPath, returnFinalTarget: true)?.FullName ?? fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "path:" + fullPath;
        }
    }

    // "inode:MAJOR:MINOR:INODE", or null when statx cannot tell (the file is missing, or the C library predates it).
    private static string? LinuxDeviceAndInode(string path)
    {
        var buffer = new byte[StatxSize];
        try
        {
            if (NativeMethods.Statx(AtFdCwd, path, 0, StatxIno, buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }

        // statx fills the fields it was asked for in the machine's byte order, and says in its mask which it filled.
        var span = buffer.AsSpan();
        var mask = MemoryMarshal.Read<uint>(span[StatxMaskOffset..]);
        if ((mask & StatxIno) == 0)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"inode:{MemoryMarshal.Read<uint>(span[StatxDevMajorOffset..])}:{MemoryMarshal.Read<uint>(span[StatxDevMinorOffset..])}:{MemoryMarshal.Read<ulong>(span[StatxInoOffset..])}");
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "statx")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
    }
}
