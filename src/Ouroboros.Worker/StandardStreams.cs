using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ouroboros.Worker;

/// <summary>
/// Moves the protocol off file descriptors 0 and 1 before any candidate runs: the pipes are
/// duplicated to private close-on-exec descriptors, and 0 and 1 are pointed at /dev/null. A
/// candidate that opens the raw standard streams (possible only with the policy off) reads nothing
/// and writes into the void; children it might spawn inherit none of the protocol.
/// Standard error stays connected: the runtime reports fatal errors (a stack overflow) there.
/// </summary>
internal static class StandardStreams
{
    private const int FDupFdCloexec = 1030;
    private const int ORdWr = 2;

    [DllImport("libc", SetLastError = true)] private static extern int fcntl(int fd, int cmd, int arg);
    [DllImport("libc", SetLastError = true)] private static extern int dup2(int oldFd, int newFd);
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)] private static extern int open(string path, int flags);

    public static (Stream Input, Stream Output) TakeProtocolStreams()
    {
        int input = Check(fcntl(0, FDupFdCloexec, 10), "dup stdin");
        int output = Check(fcntl(1, FDupFdCloexec, 10), "dup stdout");
        int devNull = Check(open("/dev/null", ORdWr), "open /dev/null");
        Check(dup2(devNull, 0), "dup2 stdin");
        Check(dup2(devNull, 1), "dup2 stdout");
        return (
            new FileStream(new SafeFileHandle(input, ownsHandle: true), FileAccess.Read, bufferSize: 0),
            new FileStream(new SafeFileHandle(output, ownsHandle: true), FileAccess.Write, bufferSize: 0));
    }

    /// <summary>
    /// A line on the real standard error, which the host reads (Console.Error is each program's
    /// captured output). Written through descriptor 2 itself, opened only now: a descriptor kept
    /// open for this would be one more pipe end in every candidate's process.
    /// </summary>
    public static void WriteToHost(string line)
    {
        try
        {
            using var stderr = new FileStream(new SafeFileHandle(2, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            stderr.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (IOException) { }
    }

    private static int Check(int result, string what) =>
        result >= 0 ? result : throw new IOException($"{what} failed: errno {Marshal.GetLastPInvokeError()}");
}
