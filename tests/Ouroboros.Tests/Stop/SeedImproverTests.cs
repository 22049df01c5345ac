using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Tests.Models;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Stop;

/// <summary>The seed improver I₀ is a faithful port of STOP's: one batch of identical prompts at 0.7, the largest block of each answer, the best by utility.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SeedImproverTests(SandboxFixture sandbox)
{
    /// <summary>A utility that scores a solution by its length, and remembers what it scored.</summary>
    private sealed class LengthUtility(int budget) : ICapability
    {
        public List<string> Scored { get; } = [];
        public string Name => "utility";
        public string Interface => "IUtility";
        public IReadOnlyDictionary<string, JsonNode?> Properties => new Dictionary<string, JsonNode?> { ["Description"] = "DESCRIPTION-TEXT", ["Budget"] = budget };
        public Task<JsonNode?> InvokeAsync(string method, JsonArray arguments, CapabilityCall call, CancellationToken cancellationToken)
        {
            var solution = (string)arguments[0]!;
            lock (Scored) Scored.Add(solution);
            return Task.FromResult<JsonNode?>(solution.Length);
        }
    }

    private async Task<(string? Result, ScriptedChatClient Model, LengthUtility Utility, List<ChatMessage> Asked)> RunSeedAsync(int utilityBudget)
    {
        var asked = new List<ChatMessage>();
        var model = new ScriptedChatClient((call, messages, options) =>
        {
            lock (asked) asked.AddRange(messages);
            var n = ChatConventions.Count(options);
            // Answer i has a block of i+1 lines, plus a shorter decoy block: the largest block must win.
            return ChatConventions.Response(Enumerable.Range(0, n).Select(i =>
                $"idea {i}\n```csharp\n// decoy\n```\n```csharp\n{string.Join("\n", Enumerable.Repeat($"// line of answer {i}", i + 1))}\n```"), "scripted");
        });
        var utility = new LengthUtility(utilityBudget);
        var lm = new LanguageModelCapability("languageModel", model, budget: 4, maxResponsesPerCall: 6);
        var run = await sandbox.Pool.RunAsync(new ProgramRequest(Improvers.Seed, ImproverRunner.Entry,
            [new JsonArray("INITIAL-SOLUTION", new JsonObject { ["$capability"] = "utility" }, new JsonObject { ["$capability"] = "languageModel" })])
        {
            Capabilities = [utility, lm],
        });
        Assert.Equal(RunStatus.Ok, run.Status);
        return ((string?)run.Invocations[0].Result, model, utility, asked);
    }

    [Fact]
    public async Task One_batch_of_six_identical_prompts_at_temperature_0_7_and_the_best_by_utility()
    {
        var (result, model, utility, asked) = await RunSeedAsync(utilityBudget: 25);
        Assert.Equal(1, model.Calls); // one BatchPrompt of identical messages = one request with n = 6
        Assert.Equal(6, ChatConventions.Count(model.Requests[0]));
        Assert.Equal(0.7f, model.Requests[0]!.Temperature);
        Assert.Equal(6, utility.Scored.Count);
        Assert.Equal(string.Join("\n", Enumerable.Repeat("// line of answer 5", 6)), result);

        var system = asked.First(m => m.Role == ChatRole.System).Text;
        var user = asked.First(m => m.Role == ChatRole.User).Text;
        Assert.Equal("You are an expert computer science researcher and programmer, especially skilled at optimizing algorithms.", system);
        Assert.StartsWith("Improve the following solution:\n```csharp\nINITIAL-SOLUTION\n```", user);
        Assert.Contains("You will be evaluated based on this score function:\n```csharp\nDESCRIPTION-TEXT\n```", user);
        Assert.EndsWith("Your primary improvement must be novel and non-trivial. First, propose an idea, then implement it.", user);
    }

    [Fact]
    public async Task The_batch_is_no_larger_than_the_utility_budget()
    {
        var (_, model, utility, _) = await RunSeedAsync(utilityBudget: 3);
        Assert.Equal(3, ChatConventions.Count(model.Requests[0])); // min(MaxResponsesPerCall, utility.Budget)
        Assert.Equal(3, utility.Scored.Count);
    }
}
