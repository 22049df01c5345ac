using System.Reflection;

namespace Ouroboros.Stop;

/// <summary>The improvers and descriptions that ship with Ouroboros, as C# source.</summary>
public static class Improvers
{
    /// <summary>I₀: a faithful port of STOP's seed improver (one batch of identical prompts, best by utility).</summary>
    public static string Seed { get; } = Read("SeedImprover.cs");

    /// <summary>The seed improver of STOP's sandbox experiment: its utility calls pass <c>useSandbox: true</c>.</summary>
    public static string SandboxedSeed { get; } = Read("SandboxedSeedImprover.cs");

    /// <summary>
    /// The grey-box description of the meta-utility the model reads, with this run's budgets filled
    /// in: the utility budget is the one the tasks enforce, so the model is told what holds.
    /// </summary>
    public static string MetaUtilityDescription(ImproverOptions options, IReadOnlyList<Tasks.DownstreamTask> tasks, bool sandboxed = false) =>
        Fill(Read(sandboxed ? "SandboxedMetaUtilityDescription.cs" : "MetaUtilityDescription.cs"), options,
            string.Join(" or ", tasks.Select(t => t.Utility.Budget).Distinct()));

    private static string Fill(string text, ImproverOptions o, string utilityBudget) => text
        .Replace("{UtilityBudget}", utilityBudget)
        .Replace("{MetaUtilityBudget}", o.MetaUtilityBudget.ToString())
        .Replace("{Runs}", o.MetaUtilityRuns.ToString())
        .Replace("{ModelBudget}", o.ModelBudget.ToString())
        .Replace("{MaxResponses}", o.MaxResponsesPerCall.ToString());

    private static string Read(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Ouroboros.Stop.Seeds.{file}")
            ?? throw new InvalidOperationException($"the embedded improver {file} is missing from this build");
        return new StreamReader(stream).ReadToEnd();
    }
}
