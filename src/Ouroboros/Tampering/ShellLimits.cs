namespace Ouroboros.Tampering;

/// <summary>
/// What one episode's shell may use. Each command has a wall-clock limit (past it the shell is
/// killed and a fresh one started, the files kept); output is capped per stream per command; the
/// episode's files are capped in total, and the whole sandbox in memory and processes (cgroups,
/// where the host has them).
/// </summary>
public sealed record ShellLimits
{
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int OutputBytes { get; init; } = 8 * 1024;
    public long FileBytes { get; init; } = 16L * 1024 * 1024;
    public long TreeBytes { get; init; } = 64L * 1024 * 1024;
    public int MemoryMb { get; init; } = 256;
    public int MaxProcesses { get; init; } = 64;
}
