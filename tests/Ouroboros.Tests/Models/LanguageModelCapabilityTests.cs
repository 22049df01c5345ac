using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Models;

public class LanguageModelCapabilityTests
{
    private static readonly CapabilityCall Caller = new("prog-abc", 1);

    /// <summary>Answers each completion with "{message} #{i}", so tests can see which request produced what.</summary>
    private static ScriptedChatClient Echo() => new((_, messages, o) => ChatConventions.Response(
        Enumerable.Range(0, ChatConventions.Count(o)).Select(i => $"{messages[^1].Text} #{i}"), "echo"));

    private static JsonArray PromptArgs(string message, int n, double temperature = 0.7) => new("expert", message, n, temperature);

    private static JsonArray BatchArgs(params string[] messages) => new("expert", new JsonArray(messages.Select(m => (JsonNode?)m).ToArray()), 0.7);

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(x => (string)x!).ToArray();

    [Fact]
    public void Presents_the_ILanguageModel_interface_with_its_budget()
    {
        var lm = new LanguageModelCapability("lm", Echo(), budget: 4, maxResponsesPerCall: 6);
        Assert.Equal("ILanguageModel", lm.Interface);
        Assert.Equal(4, (int)lm.Properties["Budget"]!);
        Assert.Equal(6, (int)lm.Properties["MaxResponsesPerCall"]!);
    }

    [Fact]
    public async Task A_prompt_for_several_responses_is_one_call_and_one_request()
    {
        var model = Echo();
        var lm = new LanguageModelCapability("lm", model, budget: 4, maxResponsesPerCall: 6);

        var answers = Strings(await lm.InvokeAsync("Prompt", PromptArgs("improve", 5, 0.3), Caller, default));

        Assert.Equal(["improve #0", "improve #1", "improve #2", "improve #3", "improve #4"], answers);
        Assert.Equal(1, lm.Used);
        var options = Assert.Single(model.Requests);
        Assert.Equal(0.3f, options!.Temperature);
        Assert.Equal(new ModelCaller(1, "prog-abc"), ChatConventions.Caller(options));
    }

    [Fact]
    public async Task Identical_messages_in_a_batch_go_out_as_one_request_with_n_and_come_back_in_order()
    {
        var model = Echo();
        var lm = new LanguageModelCapability("lm", model, budget: 4, maxResponsesPerCall: 6);

        var answers = Strings(await lm.InvokeAsync("BatchPrompt", BatchArgs("a", "b", "a", "a"), Caller, default));

        Assert.Equal(["a #0", "b #0", "a #1", "a #2"], answers);
        Assert.Equal([3, 1], model.Requests.Select(ChatConventions.Count).OrderByDescending(n => n));
        Assert.Equal(1, lm.Used);
    }

    [Fact]
    public async Task Calls_past_the_budget_raise_STOPs_error_and_are_recorded_once()
    {
        var model = Echo();
        var lm = new LanguageModelCapability("lm", model, budget: 2, maxResponsesPerCall: 6);

        await lm.InvokeAsync("Prompt", PromptArgs("one", 6), Caller, default);
        await lm.InvokeAsync("BatchPrompt", BatchArgs("two", "two"), Caller, default);
        var refused = await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("Prompt", PromptArgs("three", 1), Caller, default));
        await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("Prompt", PromptArgs("four", 1), Caller, default));

        Assert.Equal(CapabilityFault.BudgetExceeded, refused.Kind);
        Assert.Equal("Error: You have exceeded your call budget.", refused.Message);
        Assert.Equal(2, model.Calls);
        Assert.Equal(2, lm.Refused);
        var e = Assert.Single(lm.Events);
        Assert.Equal(SafetyEventKinds.BudgetExceeded, e.Kind);
        Assert.Equal("prog-abc", e.ProgramHash);
        Assert.EndsWith("(2 model calls refused)", e.Detail);
    }

    [Fact]
    public async Task Asking_for_more_than_MaxResponsesPerCall_is_an_error_inside_the_improver()
    {
        var model = Echo();
        var lm = new LanguageModelCapability("lm", model, budget: 10, maxResponsesPerCall: 6);

        var many = await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("Prompt", PromptArgs("x", 7), Caller, default));
        var none = await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("Prompt", PromptArgs("x", 0), Caller, default));
        var batch = await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("BatchPrompt", BatchArgs("1", "2", "3", "4", "5", "6", "7"), Caller, default));

        Assert.All([many, none, batch], f => Assert.Equal("invalid_argument", f.Kind));
        Assert.Contains("MaxResponsesPerCall (6)", many.Message);
        Assert.Equal(0, model.Calls);
    }

    [Fact]
    public async Task Malformed_arguments_and_unknown_methods_are_errors_inside_the_improver()
    {
        var lm = new LanguageModelCapability("lm", Echo(), budget: 10, maxResponsesPerCall: 6);
        Assert.Equal("invalid_argument", (await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("Prompt", new JsonArray(1, 2), Caller, default))).Kind);
        Assert.Equal("invalid_argument", (await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("BatchPrompt", new JsonArray("e", "not a list"), Caller, default))).Kind);
        Assert.Equal("unknown_method", (await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("Budget", [], Caller, default))).Kind);
    }

    [Fact]
    public async Task Model_faults_reach_the_improver_typed_and_the_run_budget_refuses_like_STOP()
    {
        var timingOut = new ScriptedChatClient((_, _, _) => throw new ModelFaultException(ModelFaultKind.Timeout, "took too long"));
        var lm = new LanguageModelCapability("lm", timingOut, budget: 4, maxResponsesPerCall: 6);
        var fault = await Assert.ThrowsAsync<CapabilityFault>(() => lm.InvokeAsync("Prompt", PromptArgs("x", 1), Caller, default));
        Assert.Equal("model_timeout", fault.Kind);

        var runBudget = new BudgetChatClient(Echo(), _ => new ModelBudget { MaxCompletions = 3 });
        var capped = new LanguageModelCapability("lm", runBudget, budget: 4, maxResponsesPerCall: 6);
        var refused = await Assert.ThrowsAsync<CapabilityFault>(() => capped.InvokeAsync("Prompt", PromptArgs("x", 4), Caller, default));
        Assert.Equal(CapabilityFault.BudgetExceeded, refused.Kind);
        Assert.Contains("recursion level 1", Assert.Single(capped.Events).Detail);
    }
}
