using Ouroboros.Tests.Stop;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Compilation;
using Ouroboros.Models;
using Ouroboros.Safety;
using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;
using Ouroboros.Tests.Models;

namespace Ouroboros.Tests.Sandbox;

/// <summary>
/// Third red-team round, budgets (issue 8, classes 6a, 6c, 6d): budgets that counted calls, not
/// their size; one event per refused call; an unsandboxed request checked after the budget. The
/// capabilities are driven the way a hostile improver drives them, call by call; each test failed
/// before its fix.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RedTeam3BudgetTests(SandboxFixture fixture)
{
    private static readonly CapabilityCall Improver = new(new string('a', 64), 1);

    /// <summary>Answers every run as "did not compile" at once: the budget rules, not the scores, are under test.</summary>
    private sealed class NothingRuns : ISandbox
    {
        public int Runs;

        public Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Runs);
            return Task.FromResult(new ProgramRun(ProgramHash.Of(request.Source), RunStatus.CompileError, [], [], [], 0));
        }
    }

    private static DownstreamTask Parity(int budget) => new(NoiselessParity.Id, LearningParityWithNoise.Signature, "description",
        NoiselessParity.Create().SeedSolution, new SecretUtility(new ParityProblem(0), 20, 50, TimeSpan.FromSeconds(2), budget));

    private static Task<JsonNode?> Evaluate(ICapability utility, string solution, bool useSandbox = true) =>
        utility.InvokeAsync("Evaluate", new JsonArray(solution, useSandbox), Improver, CancellationToken.None);

    private static StopRun MetaRun(ISandbox sandbox, int metaUtilityBudget)
    {
        var records = RunStore.InMemory();
        records.Journal.CreateRun("r", "stop", new JsonObject());
        var options = new StopOptions { MetaUtilityBudget = metaUtilityBudget, MetaUtilityRuns = 1 };
        return TestRuns.Stop(records, sandbox, ScriptedChatClient.Fenced(), Parity(25), options);
    }

    // ---------------------------------------------------------------- 6c: one event per program, counted

    [Fact]
    public async Task A_loop_past_the_utility_budget_is_one_event_that_counts_its_calls()
    {
        var sandbox = new NothingRuns();
        var utility = new UtilityCapability(Parity(1), sandbox, baseline: 0.5);
        await Evaluate(utility, "a");
        int runs = sandbox.Runs;
        for (int i = 0; i < 500; i++) Assert.Equal(0.0, (await Evaluate(utility, "b"))!.GetValue<double>());

        Assert.Equal(runs, sandbox.Runs); // nothing past the budget ran
        var e = Assert.Single(utility.Events, e => e.Kind == SafetyEventKinds.BudgetExceeded);
        Assert.Equal(Improver.ProgramHash, e.ProgramHash);
        Assert.Contains("utility call 2 ", e.Detail);
        Assert.EndsWith("(500 utility calls past the budget)", e.Detail);
    }

    [Fact]
    public async Task A_loop_past_the_meta_utility_budget_is_one_stored_event_that_counts_its_calls()
    {
        var run = MetaRun(new NothingRuns(), metaUtilityBudget: 1);
        var metaUtility = new MetaUtilityCapability(run, "parent", CallPath.Root());
        for (int i = 0; i < 301; i++) await Evaluate(metaUtility, Improvers.Seed);
        run.Run.Record(metaUtility.Events); // as the loop does when the improver run ends

        var stored = run.Run.Store.Journal.Events("r").Where(e => e.Kind == SafetyEventKinds.BudgetExceeded).ToList();
        var e = Assert.Single(stored);
        Assert.Equal(Improver.ProgramHash, e.ProgramHash);
        Assert.EndsWith("(300 meta-utility calls past the budget)", e.Detail);
    }

    [Fact]
    public async Task A_meta_utility_call_past_the_budget_is_answered_without_being_served()
    {
        // Refused, so the improver's wall clock does not stop for it (and 100 such calls end the improver).
        var run = MetaRun(new NothingRuns(), metaUtilityBudget: 1);
        var metaUtility = new MetaUtilityCapability(run, "parent", CallPath.Root());
        var first = new CapabilityCall(Improver.ProgramHash, 1);
        await metaUtility.InvokeAsync("Evaluate", new JsonArray(Improvers.Seed), first, default);
        Assert.False(first.Refused);
        var second = new CapabilityCall(Improver.ProgramHash, 1);
        Assert.Equal(0.0, (await metaUtility.InvokeAsync("Evaluate", new JsonArray(Improvers.Seed), second, default))!.GetValue<double>());
        Assert.True(second.Refused);
    }

    [Fact]
    public async Task A_loop_of_refused_model_calls_is_one_event_that_counts_them()
    {
        var model = ScriptedChatClient.Fenced();
        var lm = new LanguageModelCapability("lm", model, budget: 1, maxResponsesPerCall: 6);
        await lm.InvokeAsync("Prompt", new JsonArray("expert", "hello", 1), Improver, default);
        for (int i = 0; i < 200; i++)
            await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("Prompt", new JsonArray("expert", "hello", 1), Improver, default));

        Assert.Equal(1, model.Calls);
        var e = Assert.Single(lm.Events);
        Assert.Equal(SafetyEventKinds.BudgetExceeded, e.Kind);
        Assert.EndsWith("(200 model calls refused)", e.Detail);
    }

    // ---------------------------------------------------------------- 6d: unsandboxed requests before the budget

    [Fact]
    public async Task A_request_to_run_unsandboxed_past_the_utility_budget_is_still_recorded()
    {
        var utility = new UtilityCapability(Parity(1), new NothingRuns(), baseline: 0.5);
        await Evaluate(utility, "a");
        for (int i = 0; i < 100; i++) await Evaluate(utility, "b", useSandbox: false);

        var e = Assert.Single(utility.Events, e => e.Kind == SafetyEventKinds.UnsandboxedRequest);
        Assert.Equal(Improver.ProgramHash, e.ProgramHash);
        Assert.EndsWith("(100 requests to run unsandboxed)", e.Detail);
        Assert.Single(utility.Events, e => e.Kind == SafetyEventKinds.BudgetExceeded);
    }

    [Fact]
    public async Task A_request_to_run_unsandboxed_past_the_meta_utility_budget_is_still_recorded()
    {
        var run = MetaRun(new NothingRuns(), metaUtilityBudget: 1);
        var metaUtility = new MetaUtilityCapability(run, "parent", CallPath.Root());
        await Evaluate(metaUtility, Improvers.Seed);
        for (int i = 0; i < 100; i++) await Evaluate(metaUtility, Improvers.Seed, useSandbox: false);
        run.Run.Record(metaUtility.Events);

        var e = Assert.Single(run.Run.Store.Journal.Events("r"), e => e.Kind == SafetyEventKinds.UnsandboxedRequest);
        Assert.Equal(Improver.ProgramHash, e.ProgramHash);
        Assert.EndsWith("(100 requests to run unsandboxed)", e.Detail);
    }

    // ---------------------------------------------------------------- 6a: prompt size

    [Fact]
    public async Task An_oversize_prompt_is_refused_unsent_as_a_budget_fault_naming_the_program()
    {
        var model = ScriptedChatClient.Fenced();
        var lm = new LanguageModelCapability("lm", model, budget: 4, maxResponsesPerCall: 6);
        var huge = new string('x', PromptLimits.Default.MaxRequestChars + 1);

        var fault = await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("BatchPrompt",
            new JsonArray("expert", new JsonArray(huge, huge + "y"), 0.7), Improver, default));

        Assert.Equal(CapabilityFault.BudgetExceeded, fault.Kind);
        Assert.Contains("too long", fault.Message);
        Assert.Equal(0, model.Calls);
        var e = Assert.Single(lm.Events);
        Assert.Equal(SafetyEventKinds.BudgetExceeded, e.Kind);
        Assert.Equal(Improver.ProgramHash, e.ProgramHash);
        Assert.Contains("per request", e.Detail);
    }

    [Fact]
    public async Task An_improver_in_the_sandbox_that_sends_a_huge_prompt_is_refused_and_named()
    {
        // Within "4 calls", six distinct 8 MB messages a call was 192 MB in all: here one is enough.
        const string improver = """
            using Ouroboros.Contracts;
            public static class Improver
            {
                public static string ImproveAlgorithm(string initialSolution, IUtility utility, ILanguageModel languageModel)
                {
                    try { return languageModel.Prompt("expert", new string('x', 1_000_000), 1, 0.7)[0]; }
                    catch (Exception e) { return "refused: " + e.Message; }
                }
            }
            """;
        var model = ScriptedChatClient.Fenced();
        var lm = new LanguageModelCapability("languageModel", model, budget: 4, maxResponsesPerCall: 6);
        var utility = new UtilityCapability(Parity(25), new NothingRuns(), baseline: 0.5);
        var run = await fixture.Pool.RunAsync(new ProgramRequest(improver, ImproverRunner.Entry,
            [new JsonArray("s", new JsonObject { ["$capability"] = utility.Name }, new JsonObject { ["$capability"] = lm.Name })])
        {
            Capabilities = [utility, lm],
            Limits = new SandboxLimits { WallClock = TimeSpan.FromSeconds(30) },
        });

        Assert.Equal(RunStatus.Ok, run.Invocations[0].Status);
        Assert.StartsWith("refused: Error: Your prompt is too long", (string?)run.Invocations[0].Result);
        Assert.Equal(0, model.Calls);
        var e = Assert.Single(lm.Events);
        Assert.Equal(SafetyEventKinds.BudgetExceeded, e.Kind);
        Assert.Equal(run.ProgramHash, e.ProgramHash);
    }

    [Fact]
    public async Task Prompts_within_the_call_budget_are_capped_in_total_per_improver_run()
    {
        var model = ScriptedChatClient.Fenced();
        var lm = new LanguageModelCapability("lm", model, budget: 4, maxResponsesPerCall: 6);
        // Six distinct messages of 60,000 characters each: every one under the request limit, the batch
        // (360,000) under the run's; the second batch would bring the run to 720,000.
        JsonArray Batch(string tag) => new("expert", new JsonArray(Enumerable.Range(0, 6).Select(i => (JsonNode?)(tag + i + new string('x', 60_000))).ToArray()), 0.7);

        await lm.InvokeAsync("BatchPrompt", Batch("a"), Improver, default);
        var fault = await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("BatchPrompt", Batch("b"), Improver, default));

        Assert.Equal(CapabilityFault.BudgetExceeded, fault.Kind);
        Assert.Equal(6, model.Calls); // the first batch only
        Assert.True(lm.PromptChars <= PromptLimits.Default.MaxRunChars, $"{lm.PromptChars} characters sent");
        Assert.Contains("run's limit", Assert.Single(lm.Events).Detail);
    }

    [Fact]
    public async Task A_token_budget_refuses_a_huge_prompt_before_it_is_sent()
    {
        var provider = ScriptedChatClient.Fenced();
        var budget = new BudgetChatClient(provider, _ => new ModelBudget { MaxTokens = 10_000 });
        var options = ChatConventions.With(new ChatOptions(), ChatConventions.CallerKey, new ModelCaller(1, Improver.ProgramHash));

        var refused = await Assert.ThrowsAsync<ModelBudgetExhaustedException>(() => budget.GetResponseAsync(Chat.Ask(new string('x', 80_000)), options));

        Assert.Equal("tokens", refused.Limit);
        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public void Every_run_level_has_a_token_budget_by_default()
    {
        var settings = new ModelSettings { Spec = ModelSpec.Parse("offline") };
        Assert.Equal(10_000_000, settings.BudgetFor(1).MaxTokens);
        Assert.Equal(ModelBudget.DefaultPerLevel, settings.BudgetFor(3));
    }
}
