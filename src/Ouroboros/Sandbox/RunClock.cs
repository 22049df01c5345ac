using System.Diagnostics;

namespace Ouroboros.Sandbox;

/// <summary>
/// Wall-clock time of one invocation that stops while the host serves its capability calls: a run's
/// limit measures the candidate's own time, not the model's latency or a nested evaluation.
/// Calls may overlap; the clock runs only while none is in flight.
/// </summary>
internal sealed class RunClock
{
    private readonly object _gate = new();
    private readonly Stopwatch _watch = new();
    private int _pauses;

    public void Restart() { lock (_gate) { _pauses = 0; _watch.Restart(); } }

    public void Pause() { lock (_gate) { if (_pauses++ == 0) _watch.Stop(); } }

    public void Resume() { lock (_gate) { if (--_pauses == 0) _watch.Start(); } }

    public TimeSpan Elapsed { get { lock (_gate) return _watch.Elapsed; } }
}
