using Microsoft.Extensions.AI;
using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

public class ConcurrencyLimitChatClientTests
{
    private sealed class GatedClient(int expectedPeak) : IChatClient
    {
        private int _inFlight;
        public int Peak;
        public readonly TaskCompletionSource PeakReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            int now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref Peak, now);
            if (now == expectedPeak) PeakReached.TrySetResult();
            await Release.Task;
            Interlocked.Decrement(ref _inFlight);
            return ChatConventions.Response(["ok"], "gated");
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    [Fact]
    public async Task No_more_than_the_limit_are_in_flight()
    {
        var inner = new GatedClient(expectedPeak: 2);
        using var limited = new ConcurrencyLimitChatClient(inner, 2);

        var calls = Enumerable.Range(0, 6).Select(_ => limited.GetResponseAsync(Chat.Ask("x"), Chat.Options())).ToList();
        await inner.PeakReached.Task;
        inner.Release.SetResult();
        await Task.WhenAll(calls);

        Assert.Equal(2, inner.Peak);
    }

    [Fact]
    public void A_limit_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConcurrencyLimitChatClient(new GatedClient(1), 0));
    }
}
