using System.Runtime.InteropServices;

namespace Ouroboros.Compilation;

/// <summary>
/// Lowers the scheduling priority of a thread the host has given up on: a compile past its deadline
/// that Roslyn will not stop (see <c>ProgramChecker</c>) keeps a core busy for as long as overload
/// resolution takes, hours for some programs. At nice 19 it yields to every other thread of the
/// host (the next compile, the sessions that time workers), so a handful of such programs cannot
/// starve them. On Linux the nice value belongs to a thread, so the rest of the host keeps its own.
/// Against the workers it competes as part of the host: where the kernel schedules by session
/// (autogroup; workers start a session of their own), the host's threads together get one share,
/// however many compiles were abandoned. Measured: nice 19 from the deadline on, and still a whole
/// idle core's worth of CPU (it takes what nobody else wants).
/// </summary>
internal static class AbandonedThread
{
    private const int PrioProcess = 0, Lowest = 19;

    [DllImport("libc", SetLastError = true, EntryPoint = "gettid")]
    private static extern int GetTid();

    [DllImport("libc", SetLastError = true, EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    /// <summary>The calling thread's kernel id, or 0 where it cannot be had (not Linux, an old libc).</summary>
    public static int CurrentId()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try { return GetTid(); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return 0; }
    }

    /// <summary>Gives thread <paramref name="id"/> (from <see cref="CurrentId"/>) the lowest priority; best effort.</summary>
    public static void Deprioritise(int id)
    {
        if (id <= 0) return;
        try { SetPriority(PrioProcess, id, Lowest); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { }
    }
}
