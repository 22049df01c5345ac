namespace Ouroboros.Models;

/// <summary>
/// Who asked for a completion: the recursion level of the call — how deep in the sandbox the calling
/// program runs: 0 for an improver the host started (the improver improving itself, the seed
/// improver scored at t = 0, the baseline's runs), 1 for an improver run inside a meta-utility call,
/// and so on — and the hash of the program making the call. Budgets are kept per level; the ledger
/// stores both.
/// </summary>
public sealed record ModelCaller(int Level, string ProgramHash)
{
    /// <summary>Calls made by the host itself, outside any improver.</summary>
    public static readonly ModelCaller Host = new(0, "host");
}
