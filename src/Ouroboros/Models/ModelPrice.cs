using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// What a model costs, in US dollars per million tokens, when the user configures it; the ledger's
/// cost column and the money cap need it. Unpriced models record no cost and cannot be money-capped.
/// </summary>
public sealed record ModelPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>The dollars a call's usage cost, or null when the provider reported no token counts.</summary>
    public double? Cost(UsageDetails? usage) =>
        usage is null || (usage.InputTokenCount is null && usage.OutputTokenCount is null)
            ? null
            : ((usage.InputTokenCount ?? 0) * InputPerMillion + (usage.OutputTokenCount ?? 0) * OutputPerMillion) / 1_000_000;
}
