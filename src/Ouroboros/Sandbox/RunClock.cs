using System.Diagnostics;

namespace Ouroboros.Sandbox;

/// <summary>
/// Wall-clock time of one invocation that stops while the host serves its capability calls: a run's
/// limit measures the candidate's own time, not the model's latency or a nested evaluation.
/// Calls may overlap; the clock runs only while none is in flight. Events are placed at given
/// <see cref="Stopwatch"/> timestamps (when a frame came off the pipe), so the host's own delays in
/// handling them neither charge nor spare the candidate.
/// </summary>
/// <remarks>
/// Time the host itself stood still for garbage collection, while the clock ran, is not charged
/// either: every managed thread stops then, the thread that stamps frames included, so a result
/// sent during a long collection (a test host building millions of JSON nodes met 0.8 s) would be
/// stamped late.
/// </remarks>
internal sealed class RunClock(Func<TimeSpan>? hostPauses = null)
{
    private readonly Func<TimeSpan> _hostPauses = hostPauses ?? GC.GetTotalPauseDuration;
    private readonly object _gate = new();
    private long _start, _pausedAt, _paused;
    private int _pauses;
    private TimeSpan _collectingAtStart, _collectingAtPause, _collectingWhilePaused;

    public void Restart(long at)
    {
        lock (_gate)
        {
            _start = at; _paused = 0; _pauses = 0;
            _collectingAtStart = _hostPauses(); _collectingWhilePaused = TimeSpan.Zero;
        }
    }

    public void Pause(long at)
    {
        lock (_gate)
        {
            if (_pauses++ > 0) return;
            _pausedAt = at;
            _collectingAtPause = _hostPauses();
        }
    }

    public void Resume(long at)
    {
        lock (_gate)
        {
            if (--_pauses > 0) return;
            _paused += Math.Max(0, at - _pausedAt);
            _collectingWhilePaused += _hostPauses() - _collectingAtPause;
        }
    }

    /// <summary>The invocation's own time up to <paramref name="at"/>.</summary>
    public TimeSpan ElapsedAt(long at)
    {
        lock (_gate)
        {
            var end = _pauses > 0 ? Math.Min(at, _pausedAt) : at;
            var wall = Stopwatch.GetElapsedTime(_start, Math.Max(_start, end - _paused));
            var collecting = (_pauses > 0 ? _collectingAtPause : _hostPauses()) - _collectingAtStart - _collectingWhilePaused;
            var own = wall - (collecting > TimeSpan.Zero ? collecting : TimeSpan.Zero);
            return own > TimeSpan.Zero ? own : TimeSpan.Zero;
        }
    }

    public TimeSpan Elapsed => ElapsedAt(Stopwatch.GetTimestamp());
}
