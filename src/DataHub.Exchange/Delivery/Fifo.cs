using System.ComponentModel;
using System.Runtime.InteropServices;

namespace DataHub.Exchange.Delivery;

/// <summary>Named pipes (POSIX FIFOs): DuckDB's COPY writes into one while the server streams the other end.</summary>
internal static partial class Fifo
{
    /// <summary>Creates a FIFO readable and writable by this user only.</summary>
    /// <param name="path">Where; must not exist.</param>
    /// <exception cref="Win32Exception">mkfifo failed (the error is named).</exception>
    public static void Create(string path)
    {
        if (MakeFifo(path, 0x180 /* 0600 */) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"mkfifo {path}");
        }
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MakeFifo(string path, uint mode);
}
