namespace Ouroboros.Sandbox;

/// <summary>
/// Limits on one invocation of sandboxed code. The host enforces them by killing the worker;
/// nothing here relies on the candidate's cooperation.
/// </summary>
public sealed record SandboxLimits
{
    /// <summary>Wall-clock time for one invocation, not counting time the host spends serving its capability calls.</summary>
    public TimeSpan WallClock { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>CPU time for one invocation, summed over all its threads.</summary>
    public TimeSpan Cpu { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Memory cap for the worker process that runs the invocation.</summary>
    public int MemoryMb { get; init; } = 512;

    /// <summary>What the candidate may print, and the largest result it may return, in bytes.</summary>
    public int OutputBytes { get; init; } = 64 * 1024;

    public static SandboxLimits Default { get; } = new();

    /// <summary>Fails fast, at configuration time, on limits that cannot work.</summary>
    public SandboxLimits Validate()
    {
        if (WallClock <= TimeSpan.Zero) throw new ArgumentException("The wall-clock limit must be positive.");
        if (Cpu <= TimeSpan.Zero) throw new ArgumentException("The CPU limit must be positive.");
        if (MemoryMb < 64) throw new ArgumentException($"A memory limit of {MemoryMb} MB is too small for a .NET worker; use at least 64.");
        if (OutputBytes < 256) throw new ArgumentException("The output cap must be at least 256 bytes.");
        return this;
    }
}
