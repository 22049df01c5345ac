namespace Ouroboros.Tampering;

/// <summary>
/// What one command did: its output without trailing newlines (capped; <see cref="Truncated"/> says when), its exit status,
/// and whether it ran out of time (the shell was then restarted) or the episode's files out of room.
/// </summary>
public sealed record ShellResult(string Stdout, string Stderr, int ExitCode, bool TimedOut = false, bool Truncated = false, bool TreeFull = false);
