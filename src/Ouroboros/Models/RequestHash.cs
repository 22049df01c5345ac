using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// The content address of a request: SHA-256 over the model, the messages and the options that
/// shape a completion (temperature, top-p, max tokens, seed, stop sequences, instructions). The
/// number of completions, the sample index and the caller are left out on purpose: the same prompt
/// asked by two programs, or as one request of n=6 versus six of n=1, is the same request, and each
/// completion is addressed by (hash, sample index).
/// </summary>
public static class RequestHash
{
    public static string Of(string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteStartArray("messages");
            foreach (var m in messages)
            {
                w.WriteStartObject();
                w.WriteString("role", m.Role.Value);
                w.WriteString("text", m.Text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (options?.Instructions is { } instructions) w.WriteString("instructions", instructions);
            if (options?.Temperature is { } t) w.WriteNumber("temperature", t);
            if (options?.TopP is { } p) w.WriteNumber("top_p", p);
            if (options?.MaxOutputTokens is { } max) w.WriteNumber("max_tokens", max);
            if (options?.Seed is { } seed) w.WriteNumber("seed", seed);
            if (options?.StopSequences is { Count: > 0 } stop)
            {
                w.WriteStartArray("stop");
                foreach (var s in stop) w.WriteStringValue(s);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>The request as the middleware sees it: messages listed once, the model that will answer, and the hash.</summary>
    public static RequestAddress Address(IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var model = ModelOf(inner, options);
        return new RequestAddress(list, model, Of(model, list, options));
    }

    /// <summary>The model identity a client reports (its spec, e.g. <c>openai:gpt-4o</c>), overridden by <see cref="ChatOptions.ModelId"/>.</summary>
    public static string ModelOf(IChatClient client, ChatOptions? options) =>
        options?.ModelId ?? client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "unknown";

    /// <summary>A stable 64-bit seed from text, for the mutation model's random draws.</summary>
    public static ulong Seed(params object[] parts) =>
        BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts))));
}

/// <summary>A request's messages, the model identity it is addressed to, and its <see cref="RequestHash"/>.</summary>
public sealed record RequestAddress(IReadOnlyList<ChatMessage> Messages, string Model, string Hash);
