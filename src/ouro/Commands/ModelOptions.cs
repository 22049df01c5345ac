using System.CommandLine;
using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// The model options of every command that talks to a model (<c>--model</c>, <c>--replay</c>,
/// <c>--model-key-env</c>, <c>--model-seed</c>, <c>--max-concurrent-requests</c>), read the same way
/// everywhere, with configuration errors turned into one-line <see cref="UserError"/>s before anything runs.
/// </summary>
public sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model") { Description = $"The model: {ModelSpec.AcceptedForms}.", DefaultValueFactory = _ => "offline" };
    public Option<bool> Replay { get; } = new("--replay") { Description = "Answer only from the run store's recorded responses; fail on anything not recorded." };
    public Option<string?> KeyEnv { get; } = new("--model-key-env") { Description = "Environment variable holding the API key, if not OPENAI_API_KEY / ANTHROPIC_API_KEY." };
    public Option<ulong> Seed { get; } = new("--model-seed") { Description = "Seed of the offline mutation model.", DefaultValueFactory = _ => 0 };
    public Option<int> MaxConcurrent { get; } = new("--max-concurrent-requests") { Description = "Most model requests in flight at once.", DefaultValueFactory = _ => 4 };
    public Option<long> MaxTokensPerLevel { get; } = new("--max-tokens-per-level")
    {
        Description = "Model tokens (prompt and completion) each recursion level of a run may spend; prompts are counted before they are sent.",
        DefaultValueFactory = _ => ModelBudget.DefaultPerLevel.MaxTokens!.Value,
    };

    /// <summary>
    /// Adds the options to <paramref name="command"/>; <c>--replay</c> only where a run store is used,
    /// <c>--model-seed</c> only where no run seed (<c>--seed</c>) already fixes every draw.
    /// </summary>
    public ModelOptions AddTo(Command command, bool withReplay = true, bool withSeed = true)
    {
        command.Options.Add(Model);
        if (withReplay) command.Options.Add(Replay);
        command.Options.Add(KeyEnv);
        if (withSeed) command.Options.Add(Seed);
        command.Options.Add(MaxConcurrent);
        command.Options.Add(MaxTokensPerLevel);
        return this;
    }

    /// <summary>The settings the options describe; a malformed spec or limit is a <see cref="UserError"/>.</summary>
    public ModelSettings Read(ParseResult parse)
    {
        int concurrent = parse.GetValue(MaxConcurrent);
        if (concurrent < 1) throw new UserError($"--max-concurrent-requests must be at least 1; got {concurrent}.");
        var budget = TokenBudget(parse.GetValue(MaxTokensPerLevel));
        return new ModelSettings
        {
            BudgetFor = _ => budget,
            Spec = ParseSpec(parse.GetValue(Model)),
            KeyVariable = parse.GetValue(KeyEnv),
            Seed = parse.GetValue(Seed),
            MaxConcurrentRequests = concurrent,
            RecordReplay = parse.GetValue(Replay) ? RecordReplayMode.Replay : RecordReplayMode.Record,
        };
    }

    /// <summary>The run's model pipeline over <paramref name="store"/>; a missing key fails here, naming the variable.</summary>
    public static IChatClient Build(ModelSettings settings, RunStore store)
    {
        try { return ModelPipeline.Build(settings, store); }
        catch (ModelConfigurationException e) { throw new UserError(e.Message); }
    }

    /// <summary>The bare provider of <paramref name="settings"/>, for serving it; a missing key fails here.</summary>
    public static IChatClient Provider(ModelSettings settings)
    {
        try { return ModelPipeline.Provider(settings.Spec, ApiKeys.Resolve(settings.Spec, settings.KeyVariable), settings.Provider, settings.Seed); }
        catch (ModelConfigurationException e) { throw new UserError(e.Message); }
    }

    /// <summary>The model options as they go into a run's stored configuration, so a resumed run talks to the same model the same way.</summary>
    public void Store(ParseResult parse, System.Text.Json.Nodes.JsonObject config)
    {
        config["model"] = parse.GetValue(Model);
        config["modelKeyEnv"] = parse.GetValue(KeyEnv);
        config["maxConcurrentRequests"] = parse.GetValue(MaxConcurrent);
        config["maxTokensPerLevel"] = parse.GetValue(MaxTokensPerLevel);
    }

    /// <summary>The budget of every recursion level for a token limit from the command line or a stored configuration.</summary>
    public static ModelBudget TokenBudget(long? maxTokens)
    {
        var tokens = maxTokens ?? ModelBudget.DefaultPerLevel.MaxTokens!.Value;
        if (tokens < 1) throw new UserError($"--max-tokens-per-level must be at least 1; got {tokens}.");
        return ModelBudget.DefaultPerLevel with { MaxTokens = tokens };
    }

    /// <summary>A model spec from the command line, or a one-line <see cref="UserError"/> listing the accepted forms.</summary>
    public static ModelSpec ParseSpec(string? text) =>
        ModelSpec.TryParse(text, out var spec, out var error) ? spec : throw new UserError(error);
}
