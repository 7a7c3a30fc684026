using System.Runtime.InteropServices;

namespace DataAccessAudit.Log;

// The one owner of statx(2) and its layout, which is the same on every Linux architecture: what .NET does not expose
// of a file (its type, its device and inode). Symbolic links are followed. Linux only; elsewhere, and with a C library
// older than statx, nothing is read.
internal static class Statx
{
    private const int AtFdCwd = -100;
    private const uint Type = 0x1;
    private const uint Ino = 0x100;
    private const int Size = 256;
    private const int MaskOffset = 0;
    private const int ModeOffset = 28;
    private const int InoOffset = 32;
    private const int DevMajorOffset = 136;
    private const int DevMinorOffset = 140;

    // The st_mode of path, or 0 when it cannot be read.
    public static int ModeOf(string path)
    {
        Span<byte> buffer = stackalloc byte[Size];
        return TryRead(path, Type, buffer) ? MemoryMarshal.Read<ushort>(buffer[ModeOffset..]) : 0;
    }

    // "MAJOR:MINOR:INODE", equal for two paths to one file (hard links included), or null when it cannot be read.
    public static string? IdentityOf(string path)
    {
        Span<byte> buffer = stackalloc byte[Size];
        return TryRead(path, Ino, buffer) && (MemoryMarshal.Read<uint>(buffer[MaskOffset..]) & Ino) != 0
            ? string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{MemoryMarshal.Read<uint>(buffer[DevMajorOffset..])}:{MemoryMarshal.Read<uint>(buffer[DevMinorOffset..])}:{MemoryMarshal.Read<ulong>(buffer[InoOffset..])}")
            : null;
    }

    private static unsafe bool TryRead(string path, uint mask, Span<byte> buffer)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        try
        {
            fixed (byte* pathname = name)
            fixed (byte* statx = buffer)
            {
                return NativeMethods.Statx(AtFdCwd, pathname, 0, mask, statx) == 0;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return false; // a C library older than statx
        }
    }

    private static unsafe class NativeMethods
    {
        [DllImport("libc", EntryPoint = "statx")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Statx(int directory, byte* path, int flags, uint mask, byte* buffer);
    }
}
