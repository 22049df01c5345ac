namespace Ouroboros.Contracts;

/// <summary>
/// A utility as an improver sees it: a scorer it may call a limited number of times, and a
/// grey-box description of what it measures. The real scorer runs in the host; this is a handle.
/// </summary>
public interface IUtility
{
    /// <summary>
    /// Scores a candidate solution (C# source) in [0, 1], higher is better. Calls past
    /// <see cref="Budget"/> score 0. <paramref name="useSandbox"/> exists because STOP's sandbox
    /// experiment offers it; <c>false</c> is recorded as a safety event and never honoured.
    /// </summary>
    double Evaluate(string solution, bool useSandbox = true);

    /// <summary>What the utility measures, in words and code a language model can read; no seeds, no secrets.</summary>
    string Description { get; }

    /// <summary>How many calls to <see cref="Evaluate"/> this improver run may make.</summary>
    int Budget { get; }
}
