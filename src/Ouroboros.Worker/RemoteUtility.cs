using System.Text.Json.Nodes;
using Ouroboros.Contracts;

namespace Ouroboros.Worker;

/// <summary>The sandbox side of a host utility: every <see cref="Evaluate"/> is served (and budgeted) by the host.</summary>
internal sealed class RemoteUtility(CapabilityClient client, long runId, string name, JsonObject properties) : IUtility
{
    public double Evaluate(string solution, bool useSandbox = true) =>
        (double?)client.Call(runId, name, nameof(Evaluate), new JsonArray(solution, useSandbox)) ?? 0.0;

    public string Description { get; } = (string?)properties[nameof(Description)] ?? "";

    public int Budget { get; } = (int?)properties[nameof(Budget)] ?? 0;

    public override string ToString() => Description;
}
