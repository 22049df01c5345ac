using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Safety;

namespace Ouroboros.Sandbox;

/// <summary>
/// What became of a <see cref="ProgramRequest"/>. <see cref="Status"/> is <c>compile_error</c> or
/// <c>policy_violation</c> when nothing ran, otherwise <c>ok</c>, and each invocation has its own status.
/// </summary>
public sealed record ProgramRun(
    string ProgramHash,
    RunStatus Status,
    IReadOnlyList<CompileDiagnostic> Diagnostics,
    IReadOnlyList<InvocationResult> Invocations,
    IReadOnlyList<SafetyEvent> Events,
    double CompileMs)
{
    /// <summary>Set when the run had no bubblewrap: the OS isolation was weaker than documented.</summary>
    public bool Unsandboxed { get; init; }
}

/// <summary>One call of the entry method: its status, its JSON-serialised return value and what it printed.</summary>
public sealed record InvocationResult(RunStatus Status, JsonNode? Result, string Stdout, string? Error, double RunMs);
