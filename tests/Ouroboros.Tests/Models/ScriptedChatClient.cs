using Microsoft.Extensions.AI;
using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

/// <summary>A provider stand-in whose answers (or faults) a test scripts, and which records what it was asked.</summary>
internal sealed class ScriptedChatClient(Func<int, IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> answer, string model = "scripted") : IChatClient
{
    private int _calls;
    public List<ChatOptions?> Requests { get; } = [];

    public int Calls => _calls;

    /// <summary>Answers each request with n completions "answer {call} {i}" in a code block, and the given usage.</summary>
    public static ScriptedChatClient Fenced(long tokensIn = 0, long tokensOut = 0) => new((call, _, o) =>
        ChatConventions.Response(
            Enumerable.Range(0, ChatConventions.Count(o)).Select(i => $"answer {call} {i}\n```csharp\nreturn {call * 10 + i};\n```"),
            "scripted",
            tokensIn + tokensOut > 0 ? new UsageDetails { InputTokenCount = tokensIn, OutputTokenCount = tokensOut } : null));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        int call = Interlocked.Increment(ref _calls);
        lock (Requests) Requests.Add(options);
        return Task.FromResult(answer(call, messages.ToList(), options));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, model) : null;

    public void Dispose() { }
}

internal static class Chat
{
    public static List<ChatMessage> Ask(string text) => [new(ChatRole.System, "You are an expert."), new(ChatRole.User, text)];

    public static ChatOptions Options(int n = 1, int level = 0, string program = "p0", double temperature = 0.7) =>
        ChatConventions.With(ChatConventions.With(new ChatOptions { Temperature = (float)temperature }, ChatConventions.CountKey, n),
            ChatConventions.CallerKey, new ModelCaller(level, program));
}
