using System.CommandLine;
using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// The model options of <c>ouro serve-model</c> (<c>--model</c>, <c>--model-key-env</c>,
/// <c>--model-seed</c>, <c>--max-concurrent-requests</c>), with configuration errors turned into
/// one-line <see cref="UserError"/>s before anything runs. Run commands take the same options
/// through their options record (<see cref="OptionBinder{TOptions}"/>).
/// </summary>
public sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model") { Description = $"The model: {ModelSpec.AcceptedForms}.", DefaultValueFactory = _ => "offline" };
    public Option<string?> KeyEnv { get; } = new("--model-key-env") { Description = "Environment variable holding the API key, if not OPENAI_API_KEY / ANTHROPIC_API_KEY." };
    public Option<ulong> Seed { get; } = new("--model-seed") { Description = "Seed of the offline mutation model.", DefaultValueFactory = _ => 0 };
    public Option<int> MaxConcurrent { get; } = new("--max-concurrent-requests") { Description = "Most model requests in flight at once.", DefaultValueFactory = _ => 4 };

    public ModelOptions AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(KeyEnv);
        command.Options.Add(Seed);
        command.Options.Add(MaxConcurrent);
        return this;
    }

    /// <summary>The settings the options describe; a malformed spec or limit is a <see cref="UserError"/>.</summary>
    public ModelSettings Read(ParseResult parse)
    {
        int concurrent = parse.GetValue(MaxConcurrent);
        if (concurrent < 1) throw new UserError($"--max-concurrent-requests must be at least 1; got {concurrent}.");
        return new ModelSettings
        {
            Spec = ParseSpec(parse.GetValue(Model)),
            KeyVariable = parse.GetValue(KeyEnv),
            Seed = parse.GetValue(Seed),
            MaxConcurrentRequests = concurrent,
        };
    }

    /// <summary>The bare provider of <paramref name="settings"/>, for serving it; a missing key fails here.</summary>
    public static IChatClient Provider(ModelSettings settings)
    {
        try { return ModelPipeline.Provider(settings.Spec, ApiKeys.Resolve(settings.Spec, settings.KeyVariable), settings.Provider, settings.Seed); }
        catch (ModelConfigurationException e) { throw new UserError(e.Message); }
    }

    /// <summary>A model spec from the command line, or a one-line <see cref="UserError"/> listing the accepted forms.</summary>
    public static ModelSpec ParseSpec(string? text) =>
        ModelSpec.TryParse(text, out var spec, out var error) ? spec : throw new UserError(error);
}
