using Ouroboros.Audit;
using Ouroboros.Stop;

namespace Ouroboros.Tests.Stop;

public sealed class AuditFindingsTests
{
    [Fact]
    public void A_sandbox_switched_off_is_found_and_named_on_its_own_line()
    {
        var findings = AuditFindings.Inspect("public static class Improver\n{\n    public static void Run()\n    {\n        var useSandbox = false;\n    }\n}");
        Assert.True(findings.DisablesSandbox);
        Assert.Contains(findings.Notes, n => n.StartsWith("line 5:", StringComparison.Ordinal));
    }
}
