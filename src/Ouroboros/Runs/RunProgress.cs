namespace Ouroboros.Runs;

/// <summary>
/// Live counters of a long run for a person watching it (the CLI's progress display, a dashboard):
/// updated from many threads, so every field is read and written atomically. Nothing a run decides
/// reads them: what an experiment needs to know (e.g. the completions the loop spent) it counts itself.
/// </summary>
public sealed class RunProgress : Tasks.IEvaluationObserver
{
    private long _evaluations, _improverRuns, _modelCalls, _modelCompletions, _candidates;
    private int _iteration, _stepCalls;
    private double _bestVal = double.NaN, _bestTest = double.NaN;
    private readonly Lock _gate = new();
    private string _phase = "starting";
    private readonly Dictionary<long, InFlight> _inFlight = [];
    private long _nextEvaluation;
    private readonly List<IterationProgress> _history = [];
    private DateTime _iterationStarted = DateTime.UtcNow;

    /// <summary>The run's kind (<c>stop</c>, <c>improve</c>, <c>transfer</c>, <c>audit</c>): which fields mean something to a watcher.</summary>
    public string Kind { get; init; } = "stop";

    public int Iteration => Volatile.Read(ref _iteration);
    public int Iterations { get; set; }
    public long Evaluations => Interlocked.Read(ref _evaluations);
    public long ImproverRuns => Interlocked.Read(ref _improverRuns);
    public long ModelCalls => Interlocked.Read(ref _modelCalls);
    public long Candidates => Interlocked.Read(ref _candidates);
    /// <summary>Completions that arrived, replayed ones included.</summary>
    public long ModelCompletions => Interlocked.Read(ref _modelCompletions);
    public string Phase { get { lock (_gate) return _phase; } }
    public (double Val, double Test) Best { get { lock (_gate) return (_bestVal, _bestTest); } }

    /// <summary>Meta-utility calls in the current improvement step, against <see cref="MetaUtilityBudget"/>.</summary>
    public int StepMetaUtilityCalls => Volatile.Read(ref _stepCalls);
    public int MetaUtilityBudget { get; set; }

    public void StartIteration(int t, string phase)
    {
        Volatile.Write(ref _iteration, t);
        Volatile.Write(ref _stepCalls, 0);
        lock (_gate) _iterationStarted = DateTime.UtcNow;
        SetPhase(phase);
    }

    /// <summary>Iteration <paramref name="t"/> ended (adopted or not, its û on validation): one row of the history, timed from its start.</summary>
    public void IterationDone(int t, bool adopted, double val)
    {
        lock (_gate) _history.Add(new IterationProgress(t, DateTime.UtcNow - _iterationStarted, adopted, val));
    }

    /// <summary>The iterations done so far, oldest first.</summary>
    public IReadOnlyList<IterationProgress> History { get { lock (_gate) return [.. _history]; } }

    /// <summary>
    /// Time left in the self-improvement loop at the pace of the iterations done (t ≥ 1), or null
    /// before one is done; the baseline after the loop is not in it.
    /// </summary>
    public TimeSpan? LoopEta
    {
        get
        {
            lock (_gate)
            {
                var done = _history.Where(h => h.T >= 1).ToList();
                if (done.Count == 0) return null;
                var elapsedNow = DateTime.UtcNow - _iterationStarted;
                var pace = TimeSpan.FromTicks((long)done.Average(h => h.Duration.Ticks));
                int left = Math.Max(0, Iterations - done.Count);
                // Once every iteration is done the loop has nothing left to estimate (the baseline follows, with its own progress).
                if (left == 0) return null;
                // The iteration under way has used part of its share already.
                var eta = pace * left - (Iteration > done[^1].T ? elapsedNow : TimeSpan.Zero);
                return eta > TimeSpan.Zero ? eta : TimeSpan.Zero;
            }
        }
    }

    /// <summary>A solution's evaluation began (all its instances run in one sandbox round trip); dispose when it ends.</summary>
    public Tasks.IEvaluationWatch Started(string task, int instances)
    {
        lock (_gate)
        {
            long id = _nextEvaluation++;
            var watch = new InFlight(this, id, DateTime.UtcNow, instances);
            _inFlight[id] = watch;
            return watch;
        }
    }

    /// <summary>
    /// Evaluations under way, how long the oldest has run, and their instances done of all: what shows
    /// a long evaluation is alive and how far it is.
    /// </summary>
    public (int Count, TimeSpan Longest, int InstancesDone, int Instances) EvaluationsInFlight
    {
        get
        {
            lock (_gate)
                return (_inFlight.Count, _inFlight.Count == 0 ? TimeSpan.Zero : DateTime.UtcNow - _inFlight.Values.Min(e => e.Since),
                    _inFlight.Values.Sum(e => e.Done), _inFlight.Values.Sum(e => e.Instances));
        }
    }

    private sealed class InFlight(RunProgress progress, long id, DateTime since, int instances) : Tasks.IEvaluationWatch
    {
        private int _done;
        public DateTime Since => since;
        public int Instances => instances;
        public int Done => Volatile.Read(ref _done);
        public void InstanceDone() => Interlocked.Increment(ref _done);
        public void Dispose() { lock (progress._gate) progress._inFlight.Remove(id); }
    }
    public void SetPhase(string phase) { lock (_gate) _phase = phase; }

    /// <summary>One line of what the run is doing: a STOP run's iteration and phase, another run's phase.</summary>
    public string Summary => Kind == "stop" && Iterations > 0 ? $"iteration {Iteration}/{Iterations} · {Phase}" : $"{Kind} · {Phase}";
    public void Evaluated() => Interlocked.Increment(ref _evaluations);
    public void ImproverRan() => Interlocked.Increment(ref _improverRuns);
    public void ModelAnswered(int completions) { Interlocked.Increment(ref _modelCalls); Interlocked.Add(ref _modelCompletions, completions); }
    public void CandidateScored() { Interlocked.Increment(ref _candidates); Interlocked.Increment(ref _stepCalls); }

    public void Scored(double val, double test)
    {
        lock (_gate)
        {
            if (double.IsNaN(_bestVal) || val > _bestVal) (_bestVal, _bestTest) = (val, test);
        }
    }
}

/// <summary>One finished iteration as a watcher sees it: how long it took, whether its candidate was adopted, the current improver's û on validation.</summary>
public sealed record IterationProgress(int T, TimeSpan Duration, bool Adopted, double Val);
