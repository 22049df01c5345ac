namespace Ouroboros.Sandbox;

/// <summary>How one sandboxed run ended. Every outcome is a value: none of these is an exception in the host.</summary>
public enum RunStatus
{
    Ok,
    CompileError,
    PolicyViolation,
    /// <summary>The candidate threw.</summary>
    Error,
    Timeout,
    MemoryLimit,
    /// <summary>The worker died without saying why (stack overflow, a native crash, an exit).</summary>
    Crashed,
    OutputLimit,
}

public static class RunStatusNames
{
    /// <summary>The snake_case name used in JSON, the store and reports.</summary>
    public static string Name(this RunStatus status) => status switch
    {
        RunStatus.Ok => "ok",
        RunStatus.CompileError => "compile_error",
        RunStatus.PolicyViolation => "policy_violation",
        RunStatus.Error => "error",
        RunStatus.Timeout => "timeout",
        RunStatus.MemoryLimit => "memory_limit",
        RunStatus.Crashed => "crashed",
        RunStatus.OutputLimit => "output_limit",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static RunStatus Parse(string name) =>
        Enum.GetValues<RunStatus>().FirstOrDefault(s => s.Name() == name, RunStatus.Crashed);
}
