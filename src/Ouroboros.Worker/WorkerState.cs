using System.Globalization;

namespace Ouroboros.Worker;

/// <summary>
/// Process-wide settings one program could change for the next on the same worker: default
/// cultures and thread-pool limits. Captured at start, restored before each program; anything
/// that cannot be restored retires the worker.
/// </summary>
internal sealed class WorkerState
{
    private int _minWorkers, _minIo, _maxWorkers, _maxIo;

    public static WorkerState Capture()
    {
        // Start the runtime's timer and wait threads now, so the leftover-work probe sees them as
        // the worker's own rather than as something the first program left behind.
        using (new Timer(_ => { }, null, 0, Timeout.Infinite)) { }
        using var signal = new ManualResetEvent(false);
        ThreadPool.RegisterWaitForSingleObject(signal, (_, _) => { }, null, 0, true);
        _ = LeftoverWorkProbe.Snapshot(); // records the processes the worker starts with
        var state = new WorkerState();
        ThreadPool.GetMinThreads(out state._minWorkers, out state._minIo);
        ThreadPool.GetMaxThreads(out state._maxWorkers, out state._maxIo);
        return state;
    }

    public void Restore()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        ThreadPool.SetMaxThreads(_maxWorkers, _maxIo);
        ThreadPool.SetMinThreads(_minWorkers, _minIo);
    }

    /// <summary>Why the worker must retire after a program, or null.</summary>
    public string? Changed()
    {
        ThreadPool.GetMaxThreads(out var maxWorkers, out var maxIo);
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        if ((maxWorkers, maxIo, minWorkers, minIo) != (_maxWorkers, _maxIo, _minWorkers, _minIo)) return "the program changed the thread-pool limits";
        return null;
    }
}
