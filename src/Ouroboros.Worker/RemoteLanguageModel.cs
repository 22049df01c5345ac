using System.Text.Json.Nodes;
using Ouroboros.Contracts;

namespace Ouroboros.Worker;

/// <summary>The sandbox side of the host's language model: calls are counted and served by the host.</summary>
internal sealed class RemoteLanguageModel(CapabilityClient client, long runId, string name, JsonObject properties) : ILanguageModel
{
    public IReadOnlyList<string> Prompt(string expertise, string message, int nResponses = 1, double temperature = 0.7) =>
        Strings(client.Call(runId, name, nameof(Prompt), new JsonArray(expertise, message, nResponses, temperature)));

    public IReadOnlyList<string> BatchPrompt(string expertise, IReadOnlyList<string> messages, double temperature = 0.7)
    {
        var batch = new JsonArray();
        foreach (var m in messages ?? []) batch.Add(m);
        return Strings(client.Call(runId, name, nameof(BatchPrompt), new JsonArray(expertise, batch, temperature)));
    }

    public int Budget { get; } = (int?)properties[nameof(Budget)] ?? 0;

    public int MaxResponsesPerCall { get; } = (int?)properties[nameof(MaxResponsesPerCall)] ?? 1;

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => (string?)n ?? "").ToList() : [];
}
