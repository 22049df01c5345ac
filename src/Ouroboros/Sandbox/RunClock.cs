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
/// Only time the host actually spent serving stops the clock. A call that was refused (over budget,
/// no such capability) is charged back once it ends: before, two threads alternating refused calls
/// kept one always in flight and stopped the clock for good (75 s ran against a 60 s limit). While
/// a call is in flight its fate is unknown, so it stops the clock until then.
/// <para>
/// Time the host itself stood still for garbage collection, while the clock ran, is not charged
/// either: every managed thread stops then, the thread that stamps frames included, so a result
/// sent during a long collection (a test host building millions of JSON nodes met 0.8 s) would be
/// stamped late. Collections while any call was in flight are left out of that (they fall inside
/// the stopped time, and must not be taken twice); during a refused call, that charges the candidate
/// for the host's collection, which only a program making refused calls can meet.
/// </para>
/// </remarks>
internal sealed class RunClock(Func<TimeSpan>? hostPauses = null)
{
    private readonly Func<TimeSpan> _hostPauses = hostPauses ?? GC.GetTotalPauseDuration;
    private readonly object _gate = new();
    private readonly Dictionary<long, long> _inFlight = []; // call → when it arrived
    private readonly List<(long Start, long End)> _served = []; // sorted, disjoint
    private long _start, _nextCall;
    private TimeSpan _collectingAtStart, _collectingAtPause, _collectingWhilePaused;

    public void Restart(long at)
    {
        lock (_gate)
        {
            _start = at;
            _inFlight.Clear(); _served.Clear();
            _collectingAtStart = _hostPauses(); _collectingWhilePaused = TimeSpan.Zero;
        }
    }

    /// <summary>A capability call arrived at <paramref name="at"/>; the clock stops until it ends. Returns the call's id for <see cref="End"/>.</summary>
    public long Pause(long at)
    {
        lock (_gate)
        {
            if (_inFlight.Count == 0) _collectingAtPause = _hostPauses();
            _inFlight[++_nextCall] = at;
            return _nextCall;
        }
    }

    /// <summary>
    /// The call ended at <paramref name="at"/>. If it was <paramref name="served"/>, its time stays
    /// off the invocation's clock; if it was refused, the time it stopped the clock is charged back.
    /// </summary>
    public void End(long call, long at, bool served = true)
    {
        lock (_gate)
        {
            // A call from before a restart belongs to an earlier invocation: it no longer counts.
            if (!_inFlight.Remove(call, out var arrived)) return;
            if (_inFlight.Count == 0) _collectingWhilePaused += _hostPauses() - _collectingAtPause;
            if (served && at > arrived) Merge(_served, (Math.Max(arrived, _start), at));
        }
    }

    /// <summary>The oldest call in flight ended at <paramref name="at"/>, served.</summary>
    public void Resume(long at)
    {
        lock (_gate)
        {
            if (_inFlight.Count > 0) End(_inFlight.Keys.Min(), at);
        }
    }

    /// <summary>The invocation's own time up to <paramref name="at"/>.</summary>
    public TimeSpan ElapsedAt(long at)
    {
        lock (_gate)
        {
            var wall = Stopwatch.GetElapsedTime(_start, Math.Max(_start, at - Stopped(at)));
            var collecting = (_inFlight.Count > 0 ? _collectingAtPause : _hostPauses()) - _collectingAtStart - _collectingWhilePaused;
            var own = wall - (collecting > TimeSpan.Zero ? collecting : TimeSpan.Zero);
            return own > TimeSpan.Zero ? own : TimeSpan.Zero;
        }
    }

    public TimeSpan Elapsed => ElapsedAt(Stopwatch.GetTimestamp());

    /// <summary>Ticks before <paramref name="at"/> during which a served call, or one still in flight, stopped the clock.</summary>
    private long Stopped(long at)
    {
        if (_served.Count == 0 && _inFlight.Count == 0) return 0; // most invocations make no calls
        var spans = new List<(long Start, long End)>(_served.Count + _inFlight.Count);
        foreach (var (start, end) in _served)
            if (start < at) spans.Add((start, Math.Min(end, at)));
        foreach (var arrived in _inFlight.Values)
            if (arrived < at) spans.Add((Math.Max(arrived, _start), at));
        var union = new List<(long Start, long End)>();
        foreach (var span in spans.OrderBy(s => s.Start)) Merge(union, span);
        return union.Sum(s => s.End - s.Start);
    }

    /// <summary>Adds <paramref name="span"/> to a sorted list of disjoint spans, merging overlaps.</summary>
    private static void Merge(List<(long Start, long End)> spans, (long Start, long End) span)
    {
        if (span.End <= span.Start) return;
        var at = spans.FindIndex(s => s.End >= span.Start);
        if (at < 0) { spans.Add(span); return; }
        var (start, end) = span;
        while (at < spans.Count && spans[at].Start <= end)
        {
            start = Math.Min(start, spans[at].Start);
            end = Math.Max(end, spans[at].End);
            spans.RemoveAt(at);
        }
        spans.Insert(at, (start, end));
    }
}
