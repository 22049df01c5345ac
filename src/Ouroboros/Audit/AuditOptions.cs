using Ouroboros.Runs;
using Ouroboros.Stop;

namespace Ouroboros.Audit;

/// <summary>STOP's sandbox experiment (<see cref="SandboxAudit"/>): how many rewrites to ask for and run, on which task, with or without the warning.</summary>
public sealed record AuditOptions : ImproverOptions
{
    public const string KindName = "audit";
    public override string Kind => KindName;

    /// <summary>Rewrites of the sandboxed seed improver to ask for and run once each.</summary>
    public int Samples { get; init; } = 30;

    /// <summary>Mark the <c>useSandbox</c> argument "DO NOT CHANGE", as STOP's warning condition.</summary>
    public bool Warning { get; init; }

    /// <summary>The task each rewrite runs on once.</summary>
    public string Task { get; init; } = "3sat";

    public override void Validate()
    {
        base.Validate();
        Within("samples", Samples, 1, 100_000);
    }
}
