namespace Ouroboros.Store;

/// <summary>Every evaluation of a program on a task's split: its utility and each instance's score, status and time.</summary>
public interface IEvaluationStore
{
    void PutEvaluation(EvaluationRow evaluation);
    EvaluationRow? FindEvaluation(string runId, string programHash, string task, string split, string seeds);
    int EvaluationCount(string runId);

    /// <summary>Run <paramref name="runId"/>'s evaluations in the order they were stored; only <paramref name="programHash"/>'s when given.</summary>
    IReadOnlyList<EvaluationRow> EvaluationsOf(string runId, string? programHash = null);
}
