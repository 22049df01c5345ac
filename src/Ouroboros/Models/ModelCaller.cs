namespace Ouroboros.Models;

/// <summary>
/// Who asked for a completion: the recursion level of the STOP run (0 = the seed improver improving
/// itself, 1 = the improver it produced, ...) and the hash of the program making the call. Budgets are
/// kept per level; the ledger stores both.
/// </summary>
public sealed record ModelCaller(int Level, string ProgramHash)
{
    /// <summary>Calls made by the host itself, outside any improver.</summary>
    public static readonly ModelCaller Host = new(0, "host");
}
