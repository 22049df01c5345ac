using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

public class RetryChatClientTests
{
    private static ModelRetryOptions Fast(List<(int Attempt, TimeSpan Delay, ModelFaultKind Kind)> seen, int retries = 5) => new()
    {
        MaxRetries = retries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromSeconds(5),
        OnRetry = (attempt, delay, fault) => { lock (seen) seen.Add((attempt, delay, fault.Kind)); },
    };

    [Fact]
    public async Task Transient_faults_are_retried_until_the_provider_answers()
    {
        var seen = new List<(int, TimeSpan, ModelFaultKind Kind)>();
        var kinds = new[] { ModelFaultKind.RateLimited, ModelFaultKind.ServerError, ModelFaultKind.Timeout, ModelFaultKind.Network };
        var inner = new ScriptedChatClient((call, _, o) => call <= kinds.Length
            ? throw new ModelFaultException(kinds[call - 1], "flaky")
            : ScriptedChatClient.Fenced().GetResponseAsync([], o).Result);

        var response = await new RetryChatClient(inner, Fast(seen)).GetResponseAsync(Chat.Ask("x"), Chat.Options());

        Assert.Equal(5, inner.Calls);
        Assert.Equal(kinds, seen.Select(s => s.Kind));
        Assert.NotEmpty(response.Messages);
    }

    [Fact]
    public async Task The_jitter_between_retries_is_seeded()
    {
        async Task<List<TimeSpan>> Waits(int seed)
        {
            var seen = new List<(int, TimeSpan Delay, ModelFaultKind)>();
            var down = new ScriptedChatClient((_, _, _) => throw new ModelFaultException(ModelFaultKind.ServerError, "down", 503));
            await Assert.ThrowsAsync<ModelFaultException>(() =>
                new RetryChatClient(down, Fast(seen, retries: 4) with { JitterSeed = seed }).GetResponseAsync(Chat.Ask("x"), Chat.Options()));
            return seen.Select(s => s.Delay).ToList();
        }
        Assert.Equal(await Waits(7), await Waits(7));
        Assert.NotEqual(await Waits(7), await Waits(8));
    }

    [Fact]
    public async Task Retry_After_sets_the_wait()
    {
        var seen = new List<(int, TimeSpan Delay, ModelFaultKind)>();
        var inner = new ScriptedChatClient((call, _, o) => call == 1
            ? throw new ModelFaultException(ModelFaultKind.RateLimited, "slow down", 429, TimeSpan.FromMilliseconds(30))
            : ScriptedChatClient.Fenced().GetResponseAsync([], o).Result);

        await new RetryChatClient(inner, Fast(seen)).GetResponseAsync(Chat.Ask("x"), Chat.Options());

        Assert.Equal(TimeSpan.FromMilliseconds(30), Assert.Single(seen).Delay);
    }

    [Fact]
    public async Task Permanent_faults_are_not_retried_and_retries_run_out()
    {
        var seen = new List<(int, TimeSpan, ModelFaultKind)>();
        var rejected = new ScriptedChatClient((_, _, _) => throw new ModelFaultException(ModelFaultKind.Rejected, "bad model", 404));
        await Assert.ThrowsAsync<ModelFaultException>(() => new RetryChatClient(rejected, Fast(seen)).GetResponseAsync(Chat.Ask("x"), Chat.Options()));
        Assert.Equal(1, rejected.Calls);

        var down = new ScriptedChatClient((_, _, _) => throw new ModelFaultException(ModelFaultKind.ServerError, "down", 503));
        var e = await Assert.ThrowsAsync<ModelFaultException>(() => new RetryChatClient(down, Fast(seen, retries: 2)).GetResponseAsync(Chat.Ask("x"), Chat.Options()));
        Assert.Equal(3, down.Calls);
        Assert.Equal(ModelFaultKind.ServerError, e.Kind);
    }

    [Theory]
    [InlineData("1500", null, 1500)]
    [InlineData(null, "2", 2000)]
    [InlineData(null, "soon", -1)]
    [InlineData(null, null, -1)]
    public void Retry_After_headers_are_read_in_milliseconds_or_seconds(string? ms, string? seconds, int expectedMs)
    {
        var wait = ModelFaults.ParseRetryAfter(ms, seconds, DateTimeOffset.UtcNow);
        Assert.Equal(expectedMs < 0 ? null : TimeSpan.FromMilliseconds(expectedMs), wait);
    }

    [Fact]
    public void Retry_After_as_a_date_is_the_time_until_then()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(90), ModelFaults.ParseRetryAfter(null, now.AddSeconds(90).ToString("R"), now));
    }
}
