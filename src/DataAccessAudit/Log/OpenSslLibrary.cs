using System.Runtime.InteropServices;

namespace DataAccessAudit.Log;

// The system's libcrypto, loaded once by the name .NET's own cryptography loads it by on Linux, for the chain's
// direct OpenSSL paths (OpenSslEvpHash, OpenSslSha256). Nothing where there is none: elsewhere than on Linux, the
// chain is computed by .NET's cryptography.
internal static class OpenSslLibrary
{
    private static readonly string[] Names = ["libcrypto.so.3", "libcrypto.so.1.1"];
    private static readonly IntPtr Handle = Load();

    // The address of an exported function, or false where the library or the function is not there.
    public static bool TryGetExport(string name, out IntPtr address)
    {
        address = IntPtr.Zero;
        return Handle != IntPtr.Zero && NativeLibrary.TryGetExport(Handle, name, out address);
    }

    private static IntPtr Load()
    {
        if (!OperatingSystem.IsLinux())
        {
            return IntPtr.Zero;
        }

        foreach (var name in Names)
        {
            // The library stays loaded: .NET's own cryptography uses the same one.
            if (NativeLibrary.TryLoad(name, out var library))
            {
                return library;
            }
        }

        return IntPtr.Zero;
    }
}
