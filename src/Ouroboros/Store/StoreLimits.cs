namespace Ouroboros.Store;

/// <summary>
/// How much of what programs produce a run keeps. Scores, statuses and events are always stored;
/// text a program printed or threw, and its raw sandbox runs (kept so a resume need not repeat
/// them), are bounded, because a hostile program can make them as large as it likes and a default
/// <c>ouro stop</c> has hundreds of improver runs. Sizes are bytes as stored (see <see cref="StoredText"/>).
/// </summary>
public sealed record StoreLimits
{
    /// <summary>What one invocation printed, and its error text, each: 4 KiB, enough to read what went wrong.</summary>
    public int InvocationTextBytes { get; init; } = 4 * 1024;

    /// <summary>Printed and error text of all a run's invocations: 16 MiB; past it, a run keeps statuses and scores only, and says so in the text.</summary>
    public long RunTextBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>One remembered sandbox run: 1 MiB (an honest Max-Cut evaluation, 100 instances of up to 200 sides, is about 50 KB).</summary>
    public int StepBytes { get; init; } = 1024 * 1024;

    /// <summary>All a run's remembered sandbox runs: 256 MiB, some five thousand honest Max-Cut evaluations.</summary>
    public long RunStepBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// One recorded model completion: 1 MiB, some 250,000 tokens, past any answer a program is asked
    /// for (one server answered a single call with 60 MB). A longer completion is cut, with
    /// <see cref="StoredText.Marker"/> saying how much, before the run sees it, so a replay sees the same.
    /// </summary>
    public int CompletionBytes { get; init; } = 1024 * 1024;

    /// <summary>A safety event's detail or an iteration's reason: 2 KiB.</summary>
    public int DetailBytes { get; init; } = 2 * 1024;

    public static StoreLimits Default { get; } = new();
}
