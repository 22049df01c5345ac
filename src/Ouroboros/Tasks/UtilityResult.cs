using Ouroboros.Compilation;
using Ouroboros.Safety;

namespace Ouroboros.Tasks;

/// <summary>
/// One utility call's outcome: the utility (mean instance score, in [0, 1]) with its interval, every
/// instance, and the safety events the run raised. A solution that does not compile is a result
/// with every instance at 0, not an exception.
/// </summary>
public sealed record UtilityResult(
    string TaskId,
    string Split,
    ScoreSummary Summary,
    IReadOnlyList<InstanceResult> Instances,
    IReadOnlyList<SafetyEvent> Events,
    string ProgramHash,
    IReadOnlyList<CompileDiagnostic> Diagnostics)
{
    /// <summary>The utility: the mean instance score, in [0, 1], higher is better.</summary>
    public double Utility => Summary.Mean;

    /// <summary>Set when the sandbox ran without OS isolation; such a result is marked, not trusted silently.</summary>
    public bool Unsandboxed { get; init; }
}
