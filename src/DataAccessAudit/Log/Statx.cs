using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DataAccessAudit.Log;

// The one owner of statx(2) and its layout, which is the same on every Linux architecture: what .NET does not expose
// of a file (its type, its device and inode). Symbolic links are followed. Linux only; elsewhere, and with a C library
// older than statx, nothing is read.
internal static class Statx
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint Type = 0x1;
    private const uint NLink = 0x4;
    private const uint Ino = 0x100;
    private const uint SizeField = 0x200;
    private const int Size = 256;
    private const int MaskOffset = 0;
    private const int NLinkOffset = 16;
    private const int ModeOffset = 28;
    private const int InoOffset = 32;
    private const int SizeOffset = 40;
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

    // The path as statx takes it (UTF-8, NUL-terminated): made once by a caller that asks about one path often.
    public static byte[] PathOf(string path) => System.Text.Encoding.UTF8.GetBytes(path + "\0");

    // An open file's links (0 once every name of it was removed), size and device and inode; false when they cannot be
    // read.
    public static bool TryReadOpen(SafeFileHandle handle, out OpenFile file)
    {
        file = default;
        Span<byte> buffer = stackalloc byte[Size];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (!TryRead((int)handle.DangerousGetHandle(), [0], AtEmptyPath, NLink | Ino | SizeField, buffer) ||
                (MemoryMarshal.Read<uint>(buffer[MaskOffset..]) & (NLink | Ino | SizeField)) != (NLink | Ino | SizeField))
            {
                return false;
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        file = new OpenFile(MemoryMarshal.Read<uint>(buffer[NLinkOffset..]), MemoryMarshal.Read<long>(buffer[SizeOffset..]), IdOf(buffer));
        return true;
    }

    // The device and inode of the file a path (from PathOf) names now; false when nothing is there or it cannot be read.
    public static bool TryReadIdentity(ReadOnlySpan<byte> path, out FileId id)
    {
        Span<byte> buffer = stackalloc byte[Size];
        id = default;
        if (!TryRead(AtFdCwd, path, 0, Ino, buffer) || (MemoryMarshal.Read<uint>(buffer[MaskOffset..]) & Ino) == 0)
        {
            return false;
        }

        id = IdOf(buffer);
        return true;
    }

    private static FileId IdOf(ReadOnlySpan<byte> buffer) => new(
        ((ulong)MemoryMarshal.Read<uint>(buffer[DevMajorOffset..]) << 32) | MemoryMarshal.Read<uint>(buffer[DevMinorOffset..]),
        MemoryMarshal.Read<ulong>(buffer[InoOffset..]));

    private static bool TryRead(string path, uint mask, Span<byte> buffer) => TryRead(AtFdCwd, PathOf(path), 0, mask, buffer);

    private static unsafe bool TryRead(int directory, ReadOnlySpan<byte> path, int flags, uint mask, Span<byte> buffer)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            fixed (byte* pathname = path)
            fixed (byte* statx = buffer)
            {
                return NativeMethods.Statx(directory, pathname, flags, mask, statx) == 0;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return false; // a C library older than statx
        }
    }

    // A file's device (major and minor in one number) and inode: equal for two names of one file.
    public readonly record struct FileId(ulong Device, ulong Inode);

    // What statx says of an open file.
    public readonly record struct OpenFile(uint Links, long Length, FileId Id);

    private static unsafe class NativeMethods
    {
        [DllImport("libc", EntryPoint = "statx")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Statx(int directory, byte* path, int flags, uint mask, byte* buffer);
    }
}
