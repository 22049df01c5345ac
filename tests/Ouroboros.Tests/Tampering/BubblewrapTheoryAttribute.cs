namespace Ouroboros.Tests.Tampering;

/// <summary>A theory that needs bubblewrap: skipped with the reason where it is missing, failed instead when OUROBOROS_REQUIRE_BWRAP=1.</summary>
public sealed class BubblewrapTheoryAttribute : TheoryAttribute
{
    public BubblewrapTheoryAttribute()
    {
        var present = File.Exists("/usr/bin/bwrap") || File.Exists("/bin/bwrap") || File.Exists("/usr/local/bin/bwrap");
        if (!present && Environment.GetEnvironmentVariable("OUROBOROS_REQUIRE_BWRAP") != "1")
            Skip = "bubblewrap is not installed (sudo apt-get install -y bubblewrap); this test runs episodes in sandboxed shells";
    }
}
