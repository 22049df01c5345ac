using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ouroboros.Sandbox;
using Ouroboros.Store;

namespace Ouroboros.Runs;

/// <summary>
/// Remembers, in the run store, every finished run of a program that uses no capabilities (a
/// solution scored on a split), so a resumed or re-executed run never repeats one. Programs with
/// capabilities (improvers) always run: what they do depends on the host's answers.
/// </summary>
public sealed class RecordedSandbox(ISandbox inner, IRunJournal journal, string runId) : ISandbox
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public async Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Capabilities.Count > 0) return await inner.RunAsync(request, cancellationToken);
        var key = $"sandbox:{Key(request)}";
        if (journal.GetStep(runId, key) is { } stored && stored.Deserialize<ProgramRun>(Json) is { } replayed) return replayed;
        var run = await inner.RunAsync(request, cancellationToken);
        journal.PutStep(runId, key, JsonSerializer.SerializeToNode(run, Json)!);
        return run;
    }

    private static string Key(ProgramRequest request)
    {
        var text = new JsonObject
        {
            ["source"] = request.Source, ["entry"] = request.Entry.ToString(), ["policy"] = request.ApplyPolicy,
            ["limits"] = JsonSerializer.SerializeToNode(request.Limits), ["stop"] = request.StopAtFirstFailure,
            ["invocations"] = new JsonArray(request.Invocations.Select(i => (JsonNode?)i.DeepClone()).ToArray()),
        }.ToJsonString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
