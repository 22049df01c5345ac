namespace Ouroboros.Store;

/// <summary>
/// A program as one run knows it: its kind, the program that produced it (<see cref="ParentHash"/>),
/// the run that stored it first, and its utility on each split where this run evaluated it (solutions).
/// <see cref="FirstEvaluated"/> orders equal utilities by who got there first.
/// </summary>
public sealed record RunProgram(string Hash, string Kind, string? ParentHash, string? StoredBy, double? Val, double? Test, long? FirstEvaluated)
{
    public const string Improver = "improver", Solution = "solution";
}

