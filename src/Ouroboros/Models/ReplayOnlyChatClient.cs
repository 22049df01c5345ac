using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// Stands where the provider would in <c>--replay</c>: it names the recorded model (so request
/// hashes match the recording) and refuses to be called, so a replay needs no key and no network.
/// </summary>
public sealed class ReplayOnlyChatClient(ModelSpec spec) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"replay never calls the provider ({spec}); a record/replay client must sit in front of this one.");

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? ModelPipeline.Metadata(spec) : null;

    public void Dispose() { }
}
