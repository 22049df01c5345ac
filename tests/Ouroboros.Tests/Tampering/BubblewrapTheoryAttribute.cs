namespace Ouroboros.Tests.Tampering;

/// <summary>A theory that needs bubblewrap: skipped with the reason where it is missing, failed instead when OUROBOROS_REQUIRE_BWRAP=1.</summary>
public sealed class BubblewrapTheoryAttribute : TheoryAttribute
{
    public BubblewrapTheoryAttribute() => Skip = Sandbox.BubblewrapFactAttribute.SkipReason("this test runs episodes in sandboxed shells");
}
