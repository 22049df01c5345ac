using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// Gives every request that names its logical position (<see cref="ChatConventions.PositionKey"/>)
/// a seed made of the run's seed and that position, unless the caller set one. The seed enters the
/// request hash, so record/replay keys and the offline model's draws follow the position, not the
/// order in which concurrent requests arrive; and it goes to providers that honour a seed (OpenAI's
/// <c>seed</c>, vLLM, <c>ouro serve-model</c>), so their draws follow it too.
/// </summary>
public sealed class DrawSeedChatClient(IChatClient inner, ulong runSeed) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options?.Seed is null && ChatConventions.Position(options) is { } position)
        {
            options = options!.Clone();
            options.Seed = SeedOf(runSeed, position);
        }
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));

    /// <summary>
    /// A non-negative 31-bit seed: every OpenAI-compatible server accepts it (llama.cpp's is 32-bit);
    /// two positions of one run meet the same seed with odds of about one in a billion per pair.
    /// </summary>
    public static long SeedOf(ulong runSeed, string position) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{runSeed}\u001f{position}"))) & 0x7FFFFFFF;
}
