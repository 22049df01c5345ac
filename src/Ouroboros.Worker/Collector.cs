using System.Runtime;

namespace Ouroboros.Worker;

/// <summary>Full collections with a deadline: finalizers are candidate code too, never waited on forever.</summary>
internal static class Collector
{
    public static bool Collect(TimeSpan deadline)
    {
        var collector = new Thread(() =>
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        }) { IsBackground = true, Name = "ouro-collect" };
        collector.Start();
        return collector.Join(deadline);
    }
}
