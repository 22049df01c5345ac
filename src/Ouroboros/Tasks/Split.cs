namespace Ouroboros.Tasks;

/// <summary>
/// A named set of instance seeds, <c>FirstSeed + i</c> for i in 0..Count-1. STOP's convention:
/// validation seeds 4321 + i (used to select candidates), test seeds 5678 + i (reported, never used
/// to select anything).
/// </summary>
public sealed record Split(string Name, int FirstSeed, int Count)
{
    public const string ValidationName = "val";
    public const string TestName = "test";
    public const string FreshName = "fresh";

    /// <summary>STOP's first validation seed.</summary>
    public const int ValidationSeed = 4321;

    /// <summary>STOP's first test seed.</summary>
    public const int TestSeed = 5678;

    /// <summary>
    /// First seed of the re-scoring splits used for "too good to be true" jumps; far from the
    /// validation and test ranges so a re-score never reuses an instance either has seen.
    /// </summary>
    public const int FreshSeed = 1_000_000;

    public IEnumerable<int> Seeds => Enumerable.Range(0, Count).Select(i => FirstSeed + i);

    public static Split Validation(int count) => new(ValidationName, ValidationSeed, count);

    public static Split Test(int count) => new(TestName, TestSeed, count);

    /// <summary>The <paramref name="round"/>-th fresh split (0-based): each re-score gets instances never scored before.</summary>
    public static Split Fresh(int count, int round) => new(FreshName, FreshSeed + round * 10_000, count);
}
