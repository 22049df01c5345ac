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
    /// <summary>
    /// A request body; <c>n</c> is only sent when above 1, for servers that reject it. OpenAI itself
    /// takes the length as <c>max_completion_tokens</c> (its reasoning models refuse <c>max_tokens</c>);
    /// compatible servers mostly know only <c>max_tokens</c>.
    /// </summary>
    public static JsonObject Request(string model, IReadOnlyList<ChatMessage> messages, ChatOptions? options, int n, int defaultMaxTokens, bool officialOpenAI = false)
    {
        var wire = new JsonArray();
        if (options?.Instructions is { Length: > 0 } instructions) wire.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        foreach (var m in messages) wire.Add(new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text });
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = wire,
            [officialOpenAI ? "max_completion_tokens" : "max_tokens"] = options?.MaxOutputTokens ?? defaultMaxTokens,
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
            if (choice?["message"] is not JsonObject message)
                throw new ModelFaultException(ModelFaultKind.MalformedResponse, $"{model} answered with a choice that has no message.");
            // Null content (a refusal, a tool call) is an empty completion, not a broken body.
            texts.Add(message["content"] switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => throw new ModelFaultException(ModelFaultKind.MalformedResponse, $"{model} answered with message content that is not text."),
            });
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

    /// <summary>
    /// Reads a request body as <c>ouro serve-model</c> receives it. Throws <see cref="FormatException"/>
    /// with a message fit for a 400 answer when the body is not a chat-completions request it can serve.
    /// </summary>
    public static (List<ChatMessage> Messages, ChatOptions Options) ParseRequest(string body)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(body); }
        catch (JsonException e) { throw new FormatException($"the body is not valid JSON: {e.Message}"); }
        if (root is not JsonObject obj) throw new FormatException("the body must be a JSON object.");
        if (obj["stream"] is JsonValue s && s.GetValueKind() == JsonValueKind.True) throw new FormatException("'stream' is not supported; ask without it.");
        if (obj["messages"] is not JsonArray { Count: > 0 } wire) throw new FormatException("'messages' must be a non-empty array.");
        var messages = new List<ChatMessage>();
        foreach (var m in wire)
        {
            var role = m?["role"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
            if (role is not ("system" or "developer" or "user" or "assistant")) throw new FormatException("each message needs a 'role' of system, user or assistant.");
            messages.Add(new ChatMessage(role == "developer" ? ChatRole.System : new ChatRole(role), Content(m!["content"])));
        }
        var options = new ChatOptions
        {
            Temperature = Number(obj, "temperature", 0, 2) is { } t ? (float)t : null,
            TopP = Number(obj, "top_p", 0, 1) is { } p ? (float)p : null,
            MaxOutputTokens = (Number(obj, "max_completion_tokens", 1, int.MaxValue, integer: true) ?? Number(obj, "max_tokens", 1, int.MaxValue, integer: true)) is { } max ? (int)max : null,
            Seed = Number(obj, "seed", long.MinValue, long.MaxValue, integer: true) is { } seed ? (long)seed : null,
        };
        int n = (int)(Number(obj, "n", 1, 128, integer: true) ?? 1);
        return (messages, ChatConventions.With(options, ChatConventions.CountKey, n));
    }

    private static string Content(JsonNode? content) => content switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        // The array form: text parts are joined, anything else (images, audio) is refused.
        JsonArray parts => string.Concat(parts.Select(p => p?["type"]?.GetValue<string>() == "text" && p["text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String
            ? t.GetValue<string>() : throw new FormatException("only text content parts are supported."))),
        _ => throw new FormatException("each message needs a string 'content'."),
    };

    private static double? Number(JsonObject obj, string name, double min, double max, bool integer = false)
    {
        var node = obj[name];
        if (node is null) return null;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || (integer && !double.IsInteger(v.GetValue<double>())))
            throw new FormatException($"'{name}' must be {(integer ? "an integer" : "a number")}.");
        double x = v.GetValue<double>();
        if (x < min || x > max) throw new FormatException($"'{name}' must be between {min} and {max}; got {x}.");
        return x;
    }

    /// <summary>A response body holding <paramref name="completions"/> as choices, in order.</summary>
    public static JsonObject Response(string model, IReadOnlyList<string> completions, UsageDetails? usage) => new()
    {
        ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(completions.Select((c, i) => (JsonNode?)new JsonObject
        {
            ["index"] = i,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = c },
            ["finish_reason"] = "stop",
        }).ToArray()),
        ["usage"] = new JsonObject
        {
            ["prompt_tokens"] = usage?.InputTokenCount ?? 0,
            ["completion_tokens"] = usage?.OutputTokenCount ?? 0,
            ["total_tokens"] = (usage?.InputTokenCount ?? 0) + (usage?.OutputTokenCount ?? 0),
        },
    };

    /// <summary>An error body in OpenAI's shape, which clients (the OpenAI SDK among them) read the message from.</summary>
    public static JsonObject Error(string message, string type, string? code = null) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } };
}
