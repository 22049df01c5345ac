using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Cli.Commands;
using Ouroboros.Models;
using Ouroboros.Sandbox;
using Ouroboros.Store;

namespace Ouroboros.Tests.Models;

/// <summary>The assembled pipeline as a STOP run uses it: the seed improver's call, the ledger, replay.</summary>
public class ModelPipelineTests
{
    private const string Solution = """
        public static class Parity
        {
            public static int Guess(int[] bits, int rounds)
            {
                int votes = 0;
                for (int r = 0; r < rounds; r++) votes += bits[r % bits.Length] > 0 ? 1 : -1;
                return votes >= 0 ? 1 : 0;
            }
        }
        """;

    private static readonly string Message = $"Improve the following solution:\n```csharp\n{Solution}\n```";

    private static JsonArray SeedImproverBatch() =>
        new("You are an expert computer science researcher and programmer, especially skilled at optimizing algorithms.",
            new JsonArray(Enumerable.Repeat((JsonNode?)Message, 6).Select(m => m?.DeepClone()).ToArray()), 0.7);

    private static Func<string, string?> NoEnvironment => _ => null;

    [Fact]
    public async Task The_seed_improvers_batch_is_one_recorded_call_and_replays_identically_offline()
    {
        using var store = RunStore.InMemory();
        var settings = new ModelSettings { Spec = ModelSpec.Parse("offline"), Seed = 42 };
        var recording = new LanguageModelCapability("lm", ModelPipeline.Build(settings, store, NoEnvironment), budget: 4, maxResponsesPerCall: 6);

        var recorded = await recording.InvokeAsync("BatchPrompt", SeedImproverBatch(), new CapabilityCall("seed", 0), default);
        var again = await recording.InvokeAsync("BatchPrompt", SeedImproverBatch(), new CapabilityCall("seed", 0), default);

        // Six identical messages: one request for six completions per call, each call one ledger row.
        var calls = new ModelCallLog(store).All();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(("offline-mutation", 6, "seed", 0, "ok"), (c.Model, c.Completions, c.ProgramHash, c.Level, c.Outcome)));
        Assert.NotEqual(recorded!.ToJsonString(), again!.ToJsonString());

        var replaying = new LanguageModelCapability("lm", ModelPipeline.Build(settings with { RecordReplay = RecordReplayMode.Replay }, store, NoEnvironment), 4, 6);
        Assert.Equal(recorded.ToJsonString(), (await replaying.InvokeAsync("BatchPrompt", SeedImproverBatch(), new CapabilityCall("seed", 0), default))!.ToJsonString());
        Assert.Equal(again.ToJsonString(), (await replaying.InvokeAsync("BatchPrompt", SeedImproverBatch(), new CapabilityCall("seed", 0), default))!.ToJsonString());
        await Assert.ThrowsAsync<ReplayMissException>(() => replaying.InvokeAsync("BatchPrompt", SeedImproverBatch(), new CapabilityCall("seed", 0), default));
    }

    [Fact]
    public void A_missing_key_fails_when_the_pipeline_is_built_but_replay_needs_none()
    {
        using var store = RunStore.InMemory();
        var settings = new ModelSettings { Spec = ModelSpec.Parse("openai:gpt-4o") };
        var e = Assert.Throws<ModelConfigurationException>(() => ModelPipeline.Build(settings, store, NoEnvironment));
        Assert.Contains("OPENAI_API_KEY", e.Message);
        Assert.NotNull(ModelPipeline.Build(settings with { RecordReplay = RecordReplayMode.Replay }, store, NoEnvironment));
    }

    [Fact]
    public void Bad_options_fail_when_the_pipeline_is_built()
    {
        using var store = RunStore.InMemory();
        var offline = new ModelSettings { Spec = ModelSpec.Parse("offline") };
        Assert.Throws<ModelConfigurationException>(() => ModelPipeline.Build(offline with { Retry = new ModelRetryOptions { MaxRetries = -1 } }, store));
        Assert.Throws<ModelConfigurationException>(() => ModelPipeline.Build(offline with { BudgetFor = _ => new ModelBudget { MaxCostUsd = 1 } }, store));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelPipeline.Build(offline with { MaxConcurrentRequests = 0 }, store));
    }

    [Theory]
    [InlineData("serve-model --model gpt4")]
    [InlineData("serve-model --model openai:ftp://x#m")]
    [InlineData("serve-model --port 70000")]
    public async Task Serve_model_rejects_bad_input_with_exit_code_2(string args)
    {
        var root = new RootCommand { ServeModelCommand.Create() };
        Assert.Equal(ExitCodes.BadInput, await Ouroboros.Cli.Commands.Cli.InvokeAsync(root, args.Split(' ')));
    }

    [Fact]
    public void Serve_model_s_model_options_are_read_with_one_line_errors()
    {
        var cmd = new Command("run");
        var options = new ModelOptions().AddTo(cmd);

        var settings = options.Read(cmd.Parse("--model openai:http://127.0.0.1:8000/v1#qwen --model-key-env TEAM_KEY --model-seed 9 --max-concurrent-requests 2"));

        Assert.Equal(ModelSpec.Parse("openai:http://127.0.0.1:8000/v1#qwen"), settings.Spec);
        Assert.Equal((RecordReplayMode.Record, "TEAM_KEY", 9UL, 2), (settings.RecordReplay, settings.KeyVariable, settings.Seed, settings.MaxConcurrentRequests));
        Assert.Equal(ModelSpec.Parse("offline"), options.Read(cmd.Parse("")).Spec);
        Assert.Contains(ModelSpec.AcceptedForms, Assert.Throws<UserError>(() => options.Read(cmd.Parse("--model claude"))).Message);
    }
}
