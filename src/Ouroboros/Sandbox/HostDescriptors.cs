using System.Runtime.InteropServices;

namespace Ouroboros.Sandbox;

/// <summary>
/// Marks every file descriptor of the host above standard error close-on-exec. Descriptors the host
/// inherited from whoever started it (a shell's pipe, a CI runner's socket) would otherwise pass
/// through bubblewrap into every worker, a door out of the sandbox.
/// </summary>
internal static class HostDescriptors
{
    private const uint CloseRangeCloexec = 4;

    [DllImport("libc", SetLastError = true, EntryPoint = "close_range")]
    private static extern int CloseRange(uint first, uint last, uint flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "fcntl")]
    private static extern int Fcntl(int fd, int command, int argument);

    public static void MarkCloseOnExec()
    {
        try
        {
            if (CloseRange(3, uint.MaxValue, CloseRangeCloexec) == 0) return;
        }
        catch (EntryPointNotFoundException) { } // glibc older than 2.34
        // Fallback: one descriptor at a time (F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1).
        foreach (var entry in Directory.GetFiles("/proc/self/fd"))
            if (int.TryParse(Path.GetFileName(entry), out var fd) && fd > 2)
            {
                var flags = Fcntl(fd, 1, 0);
                if (flags >= 0) Fcntl(fd, 2, flags | 1);
            }
    }
}
