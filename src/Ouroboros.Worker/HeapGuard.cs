namespace Ouroboros.Worker;

/// <summary>
/// Tells whether memory outlived a program: after its load context is unloaded, nothing it made
/// should stay reachable, yet process-wide roots the policy may not know of (the intern pool was
/// one: a program parked 370 MB there and the next could not read its own instances) can keep it.
/// A worker whose heap stays well above where it started, after a full collection, is retired.
/// </summary>
internal sealed class HeapGuard
{
    /// <summary>
    /// Growth that retires a worker. Programs leave garbage of any size; only what survives a full
    /// collection counts, and the worker's own caches (JIT'd code, JSON metadata) stay far below this.
    /// </summary>
    private const long Slack = 32L << 20;

    private readonly long _baseline;

    private HeapGuard(long baseline) => _baseline = baseline;

    public static HeapGuard Capture() => new(GC.GetTotalMemory(forceFullCollection: true));

    /// <summary>Why the worker must retire, or null. Collects only when the heap looks grown (rare).</summary>
    public string? Outlived()
    {
        if (GC.GetTotalMemory(forceFullCollection: false) <= _baseline + Slack) return null;
        if (!Collector.Collect(TimeSpan.FromSeconds(2))) return "a finalizer did not return within 2 s";
        var kept = GC.GetTotalMemory(forceFullCollection: false) - _baseline;
        return kept <= Slack ? null : $"{kept >> 20} MB of the heap outlived the program (after unloading it and a full collection)";
    }
}
