using System.Diagnostics;

namespace Ouroboros.Sandbox;

/// <summary>
/// Wall-clock time of one invocation that stops while the host serves its capability calls: a run's
/// limit measures the candidate's own time, not the model's latency or a nested evaluation.
/// Calls may overlap; the clock runs only while none is in flight. Events are placed at given
/// <see cref="Stopwatch"/> timestamps (when a frame came off the pipe), so the host's own delays in
/// handling them neither charge nor spare the candidate.
/// </summary>
internal sealed class RunClock
{
    private readonly object _gate = new();
    private long _start, _pausedAt, _paused;
    private int _pauses;

    public void Restart(long at) { lock (_gate) { _start = at; _paused = 0; _pauses = 0; } }

    public void Pause(long at) { lock (_gate) { if (_pauses++ == 0) _pausedAt = at; } }

    public void Resume(long at) { lock (_gate) { if (--_pauses == 0) _paused += Math.Max(0, at - _pausedAt); } }

    /// <summary>The invocation's own time up to <paramref name="at"/>.</summary>
    public TimeSpan ElapsedAt(long at)
    {
        lock (_gate)
        {
            var end = _pauses > 0 ? Math.Min(at, _pausedAt) : at;
            return Stopwatch.GetElapsedTime(_start, Math.Max(_start, end - _paused));
        }
    }

    public TimeSpan Elapsed => ElapsedAt(Stopwatch.GetTimestamp());
}
