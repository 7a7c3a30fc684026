using DataAccessAudit.Log;

namespace DataAccessAudit.ReportGenerator;

/// <summary>
/// Which file a path names, so that one file reached by two paths (a symbolic link, a hard link, another spelling) is
/// read once. On Linux it is the file's device and inode, read with statx(2) (symbolic links followed): the only
/// thing two hard links share, and .NET exposes no inode. Elsewhere it is the full path with symbolic links resolved,
/// which tells a symbolic link but not a hard link.
/// </summary>
internal static class FileIdentity
{
    /// <summary>A key equal for two paths to the same file; for a path that cannot be looked at, its full path.</summary>
    public static string Of(string path)
    {
        if (Statx.IdentityOf(path) is { } inode)
        {
            return "inode:" + inode;
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
}
