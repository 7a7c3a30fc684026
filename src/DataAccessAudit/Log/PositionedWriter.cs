using Microsoft.Win32.SafeHandles;

namespace DataAccessAudit.Log;

/// <summary>
/// Writes bytes at an offset of a file, as <see cref="RandomAccess.Write(SafeFileHandle, ReadOnlySpan{byte}, long)"/> does:
/// the seam through which <see cref="FileLog"/> writes records and side files, so that tests can fail a write part-way,
/// as a full disk does.
/// </summary>
internal delegate void PositionedWriter(SafeFileHandle handle, ReadOnlySpan<byte> bytes, long offset);
