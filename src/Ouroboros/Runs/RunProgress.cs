namespace Ouroboros.Runs;

/// <summary>
/// Live counters of a long run for a person watching it (the CLI's progress display, a dashboard):
/// updated from many threads, so every field is read and written atomically. Nothing a run decides
/// reads them: what an experiment needs to know (e.g. the completions the loop spent) it counts itself.
/// </summary>
public sealed class RunProgress
{
    private long _evaluations, _improverRuns, _modelCalls, _modelCompletions, _candidates;
    private int _iteration, _stepCalls;
    private double _bestVal = double.NaN, _bestTest = double.NaN;
    private readonly Lock _gate = new();
    private string _phase = "starting";

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

    public void StartIteration(int t, string phase) { Volatile.Write(ref _iteration, t); Volatile.Write(ref _stepCalls, 0); SetPhase(phase); }
    public void SetPhase(string phase) { lock (_gate) _phase = phase; }
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
