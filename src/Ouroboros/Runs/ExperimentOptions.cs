using System.Text.Json.Serialization;
using Ouroboros.Models;

namespace Ouroboros.Runs;

/// <summary>
/// What every experiment's options share: the model and how the run talks to it, the seed, how
/// much runs side by side, and where extra tasks live. An experiment's own options record derives
/// from this one; the record is the one place its defaults live, it is validated when the run is
/// built (<see cref="Validate"/>), stored as the run's configuration, and read back from a
/// <c>--config</c> file (<see cref="ConfigJson"/>), with the same names in all three.
/// </summary>
public abstract record ExperimentOptions
{
    /// <summary>The model: <c>offline</c> (the program-mutation model), <c>openai:MODEL</c>, <c>anthropic:MODEL</c>, or <c>openai:URL#MODEL</c>.</summary>
    public string Model { get; init; } = "offline";

    /// <summary>The environment variable holding the API key, when not the provider's default. The key itself is never stored.</summary>
    public string? ModelKeyEnv { get; init; }

    /// <summary>Most model requests in flight at once.</summary>
    public int MaxConcurrentRequests { get; init; } = 4;

    /// <summary>Model tokens (prompt and completion) each recursion level of a run may spend.</summary>
    public long MaxTokensPerLevel { get; init; } = ModelBudget.DefaultPerLevel.MaxTokens!.Value;

    /// <summary>
    /// Most US dollars the whole run may spend on its model, enforced by the host: past it, every
    /// further call is refused. Needs the model's price (<see cref="ModelPrices"/>, or <see cref="Prices"/>).
    /// </summary>
    public double? MaxCostUsd { get; init; }

    /// <summary>
    /// Prices per million tokens, by model (<c>"openai:gpt-4o"</c> or <c>"gpt-4o"</c>), overriding
    /// the built-in table (<see cref="ModelPrices"/>) or pricing a model it does not list.
    /// </summary>
    public IReadOnlyDictionary<string, ModelPrice>? Prices { get; init; }

    /// <summary>
    /// Model calls that may fail in a row, each after its retries, for want of a model (no answer,
    /// a server error, a refused key or model) before the run stops as <c>failed</c>, resumable once
    /// the model is back. A call that gets an answer ends the streak.
    /// </summary>
    public int MaxConsecutiveModelFaults { get; init; } = 8;

    /// <summary>Seed of everything stochastic the host controls, the model's draws among them.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Most independent pieces of work one step runs side by side (the improver runs of a
    /// meta-utility evaluation, the baseline's runs). Scores do not depend on it; wall time does.
    /// </summary>
    public int Parallel { get; init; } = 8;

    /// <summary>A folder of extra tasks (task.json folders), besides the built-in ones.</summary>
    public string? TasksDir { get; init; }

    /// <summary>The run's kind, as stored (<c>stop</c>, <c>transfer</c>, ...); not part of the configuration a user writes.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>Checks every option; throws <see cref="OptionsException"/> naming the first bad one.</summary>
    public virtual void Validate()
    {
        if (!ModelSpec.TryParse(Model, out _, out var error)) throw new OptionsException("model", $"is not a model: {error}");
        if (MaxConcurrentRequests < 1) throw new OptionsException("maxConcurrentRequests", $"must be at least 1, not {MaxConcurrentRequests}");
        if (MaxTokensPerLevel < 1) throw new OptionsException("maxTokensPerLevel", $"must be at least 1, not {MaxTokensPerLevel}");
        if (Prices?.FirstOrDefault(p => p.Value is null || p.Value.InputPerMillion < 0 || p.Value.OutputPerMillion < 0) is { Key: { } bad })
            throw new OptionsException("prices", $"has a bad price for '{bad}': give inputPerMillion and outputPerMillion, zero or more");
        if (MaxCostUsd is { } cap)
        {
            if (!(cap > 0)) throw new OptionsException("maxCostUsd", $"must be more than 0, not {cap}");
            if (ModelPrices.For(ModelSpec.Parse(Model), Prices) is null)
                throw new OptionsException("maxCostUsd", $"needs the price of {Model}, which has no built-in price; give it under \"prices\" in the configuration (per million tokens: {{\"{Model}\": {{\"inputPerMillion\": 1, \"outputPerMillion\": 2}}}})");
        }
        Within("maxConsecutiveModelFaults", MaxConsecutiveModelFaults, 1, 10_000);
        if (Parallel is < 1 or > 256) throw new OptionsException("parallel", $"must be between 1 and 256, not {Parallel}");
    }

    /// <summary>Checks a whole number is within bounds, naming the option when it is not.</summary>
    protected static void Within(string option, long value, long min, long max)
    {
        if (value < min || value > max) throw new OptionsException(option, $"must be between {min} and {max}, not {value}");
    }
}
