using Ouroboros.Runs;

namespace Ouroboros.Stop;

/// <summary>
/// A STOP run (Algorithm 1): the downstream tasks D whose mean utility the meta-utility measures,
/// the iterations T, and the meta-test tasks whose transfer table the final improver gets at the end.
/// </summary>
public sealed record StopOptions : ImproverOptions
{
    public override string Kind => "stop";

    /// <summary>D: the downstream tasks the meta-utility averages over (selection uses only these).</summary>
    public IReadOnlyList<string> Tasks { get; init; } = ["3sat"];

    /// <summary>Meta-test tasks: the final improver's transfer table is made on these; never used for selection.</summary>
    public IReadOnlyList<string> TransferTasks { get; init; } = [];

    /// <summary>Self-improvement iterations T.</summary>
    public int Iterations { get; init; } = 3;

    public override void Validate()
    {
        base.Validate();
        Within("iterations", Iterations, 1, 100);
        if (Tasks.Count == 0) throw new OptionsException("tasks", "needs at least one task id");
        if (Tasks.Intersect(TransferTasks).FirstOrDefault() is { } both)
            throw new OptionsException("transferTasks", $"includes '{both}', a task used for selection; transfer is reported on tasks the run never selected on");
    }
}
