using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// The JSON of OpenAI's <c>/v1/chat/completions</c>, both ways: the client writes requests and
/// reads responses, <c>ouro serve-model</c> reads requests and writes responses. Kept in one place
/// so the two sides cannot drift apart.
/// </summary>
public static class OpenAIWire
{
    /// <summary>A request body; <c>n</c> is only sent when above 1, for servers that reject it.</summary>
    public static JsonObject Request(string model, IReadOnlyList<ChatMessage> messages, ChatOptions? options, int n, int defaultMaxTokens)
    {
        var wire = new JsonArray();
        if (options?.Instructions is { Length: > 0 } instructions) wire.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        foreach (var m in messages) wire.Add(new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text });
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = wire,
            ["max_tokens"] = options?.MaxOutputTokens ?? defaultMaxTokens,
        };
        if (n > 1) body["n"] = n;
        if (options?.Temperature is { } t) body["temperature"] = t;
        if (options?.TopP is { } p) body["top_p"] = p;
        if (options?.Seed is { } seed) body["seed"] = seed;
        if (options?.StopSequences is { Count: > 0 } stop) body["stop"] = new JsonArray(stop.Select(s => (JsonNode?)s).ToArray());
        return body;
    }

    /// <summary>
    /// The completions and usage of a response body. Throws <see cref="ModelFaultException"/>:
    /// <see cref="ModelFaultKind.MalformedResponse"/> for a body that is not the promised JSON,
    /// <see cref="ModelFaultKind.EmptyResponse"/> for no choices or no text in any.
    /// </summary>
    public static (IReadOnlyList<string> Texts, UsageDetails? Usage) ParseResponse(string body, string model)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ModelFaultException(ModelFaultKind.MalformedResponse, $"{model} answered with malformed JSON: {e.Message}");
        }
        if (root is not JsonObject obj || obj["choices"] is not JsonArray choices)
            throw new ModelFaultException(ModelFaultKind.MalformedResponse, $"{model} answered without a 'choices' array.");
        var texts = new List<string>();
        foreach (var choice in choices.OrderBy(c => (int?)c?["index"] ?? 0))
        {
            if (choice?["message"]?["content"] is not JsonValue content || content.GetValueKind() != JsonValueKind.String)
                throw new ModelFaultException(ModelFaultKind.MalformedResponse, $"{model} answered with a choice that has no message text.");
            texts.Add(content.GetValue<string>());
        }
        if (texts.Count == 0 || texts.All(string.IsNullOrWhiteSpace))
            throw new ModelFaultException(ModelFaultKind.EmptyResponse, $"{model} answered with {(texts.Count == 0 ? "no choices" : "empty text")}.");
        UsageDetails? usage = obj["usage"] is JsonObject u
            ? new UsageDetails { InputTokenCount = (long?)u["prompt_tokens"], OutputTokenCount = (long?)u["completion_tokens"], TotalTokenCount = (long?)u["total_tokens"] }
            : null;
        return (texts, usage);
    }

    /// <summary>The <c>error.message</c> of an error body, else the body itself, shortened.</summary>
    public static string ErrorMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "(no body)";
        try
        {
            if (JsonNode.Parse(body)?["error"]?["message"] is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        }
        catch (JsonException) { }
        return body.Length > 300 ? body[..300] + "…" : body;
    }
}
