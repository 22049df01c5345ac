namespace Ouroboros.Worker;

/// <summary>
/// Tells whether memory outlived a program: after its load context is unloaded, nothing it made
/// should stay reachable, yet process-wide roots the policy may not know of (the intern pool was
/// one: a program parked 370 MB there and the next could not read its own instances; Regex's
/// pattern cache is another) can keep it. Growth is judged program by program, so that the one that
/// kept memory is named, not the one after it that pushed the total over a line.
/// </summary>
internal sealed class HeapGuard
{
    /// <summary>
    /// Memory one program may leave reachable before it is named for it. Programs leave garbage of
    /// any size; only what survives a full collection counts, and the worker's own caches (JIT'd
    /// code, JSON metadata of library types) stay far below this.
    /// </summary>
    private const long Slack = 32L << 20;

    private readonly long _baseline;
    private long _live;

    private HeapGuard(long baseline) => _baseline = _live = baseline;

    public static HeapGuard Capture() => new(GC.GetTotalMemory(forceFullCollection: true));

    /// <summary>
    /// Measures where the heap stands once the program's frame is in, if it grew much: reading a
    /// large frame leaves memory the worker itself keeps for a while (buffers the JSON reader rented
    /// stay in the shared pools): a million-number argument left 42 MB after a full collection, all
    /// of it charged to the program until the frame was counted in here.
    /// </summary>
    public void BeforeProgram()
    {
        if (GC.GetTotalMemory(forceFullCollection: false) <= _live + Slack / 2) return;
        if (Collector.Collect(TimeSpan.FromSeconds(2))) _live = GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <summary>
    /// Why the worker must retire, or null. Collects only when the heap has grown by half the slack
    /// since the last look, so that a program keeping a little less than the slack is measured (and
    /// absolved) before the next one runs, rather than added to the next one's account.
    /// </summary>
    public Retirement? Outlived()
    {
        if (GC.GetTotalMemory(forceFullCollection: false) <= _live + Slack / 2) return null;
        if (!Collector.Collect(TimeSpan.FromSeconds(2))) return new("a finalizer did not return within 2 s");
        var live = GC.GetTotalMemory(forceFullCollection: false);
        var kept = live - _live;
        _live = live;
        if (kept > Slack) return new($"{kept >> 20} MB of the heap outlived the program (after unloading it and a full collection)");
        // Programs that each keep a little add up: retire, naming none of them.
        if (live - _baseline > 2 * Slack) return new($"{(live - _baseline) >> 20} MB of the heap outlived earlier programs", Event: null);
        return null;
    }
}
