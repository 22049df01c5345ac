using System.Text.RegularExpressions;

namespace Ouroboros.Models;

/// <summary>
/// Built-in prices of the providers' common models, so that usage shows dollars without
/// configuration. Standard (non-batch, uncached) US-dollar list prices per million tokens, as the
/// providers published them in November 2025; prices change, so check them against the providers'
/// pages, and override any (or price a model not listed) with the <c>prices</c> option. A model
/// neither lists is unpriced: its calls record no cost and it cannot be money-capped.
/// </summary>
public static partial class ModelPrices
{
    /// <summary>When the built-in table was taken from the providers' price pages.</summary>
    public const string AsOf = "2025-11";

    private static readonly Dictionary<string, ModelPrice> OpenAI = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-5"] = new(1.25, 10.00),
        ["gpt-5-mini"] = new(0.25, 2.00),
        ["gpt-5-nano"] = new(0.05, 0.40),
        ["gpt-4.1"] = new(2.00, 8.00),
        ["gpt-4.1-mini"] = new(0.40, 1.60),
        ["gpt-4.1-nano"] = new(0.10, 0.40),
        ["gpt-4o"] = new(2.50, 10.00),
        ["gpt-4o-mini"] = new(0.15, 0.60),
        ["o3"] = new(2.00, 8.00),
        ["o3-mini"] = new(1.10, 4.40),
        ["o4-mini"] = new(1.10, 4.40),
    };

    private static readonly Dictionary<string, ModelPrice> Anthropic = new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-4-5"] = new(5.00, 25.00),
        ["claude-opus-4-1"] = new(15.00, 75.00),
        ["claude-opus-4-0"] = new(15.00, 75.00),
        ["claude-opus-4"] = new(15.00, 75.00),
        ["claude-sonnet-4-5"] = new(3.00, 15.00),
        ["claude-sonnet-4-0"] = new(3.00, 15.00),
        ["claude-sonnet-4"] = new(3.00, 15.00),
        ["claude-3-7-sonnet"] = new(3.00, 15.00),
        ["claude-haiku-4-5"] = new(1.00, 5.00),
        ["claude-3-5-haiku"] = new(0.80, 4.00),
    };

    /// <summary>
    /// The price of <paramref name="spec"/>: an override first (keyed by the whole spec, e.g.
    /// <c>openai:gpt-4o</c>, or by the model's name), then the built-in table (a model's dated
    /// snapshots, <c>-20250929</c> or <c>-2024-08-06</c>, and <c>-latest</c> priced as the model).
    /// The offline model costs nothing. A model on a server of the user's own (<c>openai:URL#MODEL</c>)
    /// has no built-in price. Null: unpriced.
    /// </summary>
    public static ModelPrice? For(ModelSpec spec, IReadOnlyDictionary<string, ModelPrice>? overrides = null)
    {
        if (overrides is not null)
            foreach (var key in new[] { spec.ToString(), spec.Model })
                if (overrides.FirstOrDefault(o => string.Equals(o.Key, key, StringComparison.OrdinalIgnoreCase)) is { Value: { } p }) return p;
        var table = spec switch
        {
            { Provider: ModelProvider.Offline or ModelProvider.Scripted } => null,
            { BaseUrl: not null } => null,
            { Provider: ModelProvider.OpenAI } => OpenAI,
            _ => Anthropic,
        };
        if (spec.Provider is ModelProvider.Offline or ModelProvider.Scripted) return Free;
        return table?.GetValueOrDefault(Snapshot().Replace(spec.Model, ""));
    }

    /// <summary>The offline program-mutation model's price: it runs here, on no one's meter.</summary>
    public static readonly ModelPrice Free = new(0, 0);

    [GeneratedRegex(@"-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$")]
    private static partial Regex Snapshot();
}
