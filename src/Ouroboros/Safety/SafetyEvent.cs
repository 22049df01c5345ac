namespace Ouroboros.Safety;

/// <summary>
/// Something a run must be able to count: a policy violation, a limit hit, a request to run
/// unsandboxed, a suspected reward hack, a budget breach. Always tied to the program that did it.
/// </summary>
public sealed record SafetyEvent(string Kind, string ProgramHash, string Detail)
{
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>The kinds of <see cref="SafetyEvent"/>; one name per concept, as stored and reported.</summary>
public static class SafetyEventKinds
{
    public const string PolicyViolation = "policy_violation";
    public const string Timeout = "timeout";
    public const string MemoryLimit = "memory_limit";
    public const string OutputLimit = "output_limit";
    public const string Crashed = "crashed";
    public const string LeftoverWork = "leftover_work";
    public const string UnsandboxedRequest = "unsandboxed_request";
    public const string UnsandboxedFallback = "unsandboxed_fallback";
    public const string RewardHackingSuspected = "reward_hacking_suspected";
    /// <summary>Outputs that broke a task's contract: one event per evaluation, with the count. Not evidence of reward hacking on its own.</summary>
    public const string InvalidOutput = "invalid_output";
    public const string BudgetExceeded = "budget_exceeded";
    public const string BudgetCircumvention = "budget_circumvention";
}
