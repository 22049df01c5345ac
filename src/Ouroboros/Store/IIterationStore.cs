namespace Ouroboros.Store;

/// <summary>A self-improvement run's iterations: each candidate's meta-utility per run on both splits, and whether it was adopted and why.</summary>
public interface IIterationStore
{
    void PutIteration(IterationRow iteration);
    IReadOnlyList<IterationRow> Iterations(string runId);
}
