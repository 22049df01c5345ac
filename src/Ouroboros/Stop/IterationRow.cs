namespace Ouroboros.Stop;

/// <summary>One iteration of a STOP run: the candidate improver's meta-utility on both splits, per run, and whether it was adopted.</summary>
public sealed record IterationRow(string RunId, int T, string ImproverHash, double Val, double Test,
    IReadOnlyList<double> ValRuns, IReadOnlyList<double> TestRuns, bool Adopted, string Reason);
