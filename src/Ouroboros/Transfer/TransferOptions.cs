using Ouroboros.Runs;
using Ouroboros.Stop;

namespace Ouroboros.Transfer;

/// <summary>A stored improver against the seed improver on other tasks (STOP's Table 1).</summary>
public sealed record TransferOptions : ImproverOptions
{
    public override string Kind => "transfer";

    /// <summary>The improver's program hash (the CLI resolves a run id, a file or <c>seed</c> to it and stores it).</summary>
    public string Improver { get; init; } = "";

    /// <summary>The tasks of the table.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = ["string-grid-distance", "quadratic-assignment", "3sat", "maxcut", "parity"];

    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(Improver)) throw new OptionsException("improver", "is required: a STOP run id, a program hash, a C# file or 'seed'");
        if (Tasks.Count == 0) throw new OptionsException("tasks", "needs at least one task id");
    }
}
