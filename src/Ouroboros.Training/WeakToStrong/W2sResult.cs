namespace Ouroboros.Training.WeakToStrong;

/// <summary>What a w2s run found: its PGR groups (the report adds accuracies and curves from the stored rows) and the models trained.</summary>
public sealed record W2sResult(string Setting, int Models, IReadOnlyList<PgrGroup> Pgr);
