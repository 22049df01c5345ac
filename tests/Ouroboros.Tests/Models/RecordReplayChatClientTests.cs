using Ouroboros.Models;
using Ouroboros.Store;

namespace Ouroboros.Tests.Models;

public class RecordReplayChatClientTests
{
    private static async Task<List<string>> Session(Microsoft.Extensions.AI.IChatClient provider, RunStore store, RecordReplayMode mode)
    {
        var client = new SampleIndexingChatClient(new RecordReplayChatClient(provider, new ModelResponseStore(store), mode));
        var answers = new List<string>();
        answers.AddRange(ChatConventions.Texts(await client.GetResponseAsync(Chat.Ask("improve A"), Chat.Options(n: 3))));
        answers.AddRange(ChatConventions.Texts(await client.GetResponseAsync(Chat.Ask("improve A"), Chat.Options(n: 2))));
        answers.AddRange(ChatConventions.Texts(await client.GetResponseAsync(Chat.Ask("improve B"), Chat.Options(n: 1))));
        return answers;
    }

    [Fact]
    public async Task A_recorded_run_replays_identically_without_the_provider()
    {
        using var store = RunStore.InMemory();
        var provider = ScriptedChatClient.Fenced();
        var recorded = await Session(provider, store, RecordReplayMode.Record);

        var unreachable = new ScriptedChatClient((_, _, _) => throw new InvalidOperationException("replay must not call the provider"));
        var replayed = await Session(unreachable, store, RecordReplayMode.Replay);

        Assert.Equal(recorded, replayed);
        Assert.Equal(6, recorded.Distinct().Count());
        Assert.Equal(0, unreachable.Calls);
    }

    [Fact]
    public async Task Replay_fails_loudly_on_a_request_never_recorded()
    {
        using var store = RunStore.InMemory();
        await Session(ScriptedChatClient.Fenced(), store, RecordReplayMode.Record);
        var client = new SampleIndexingChatClient(new RecordReplayChatClient(ScriptedChatClient.Fenced(), new ModelResponseStore(store), RecordReplayMode.Replay));

        var miss = await Assert.ThrowsAsync<ReplayMissException>(() => client.GetResponseAsync(Chat.Ask("improve C"), Chat.Options()));
        Assert.Contains("does not reproduce", miss.Message); // says what it means, naming no flag
        // Asking for more samples than were recorded is a miss too.
        await client.GetResponseAsync(Chat.Ask("improve B"), Chat.Options());
        await Assert.ThrowsAsync<ReplayMissException>(() => client.GetResponseAsync(Chat.Ask("improve B"), Chat.Options()));
    }

    [Fact]
    public void Options_that_shape_completions_change_the_address_but_caller_and_n_do_not()
    {
        var messages = Chat.Ask("x");
        var hot = Chat.Options(temperature: 1.0);
        Assert.NotEqual(RequestHash.Of("m", messages, Chat.Options()), RequestHash.Of("m", messages, hot));
        Assert.NotEqual(RequestHash.Of("m", messages, Chat.Options()), RequestHash.Of("other", messages, Chat.Options()));
        Assert.Equal(RequestHash.Of("m", messages, Chat.Options(n: 1, level: 0, program: "a")), RequestHash.Of("m", messages, Chat.Options(n: 6, level: 3, program: "b")));
    }

    [Fact]
    public async Task A_completion_past_the_cap_is_cut_before_it_is_stored_and_returned()
    {
        using var store = RunStore.InMemory();
        var huge = "```python\n" + new string('x', 10_000) + "\n```";
        var provider = new ScriptedChatClient((_, _, _) => ChatConventions.Response([huge, "short"], "scripted"));
        var limits = new StoreLimits { CompletionBytes = 1024 };
        var client = new SampleIndexingChatClient(new RecordReplayChatClient(provider, new ModelResponseStore(store), RecordReplayMode.Record, limits));

        var texts = ChatConventions.Texts(await client.GetResponseAsync(Chat.Ask("improve A"), Chat.Options(n: 2)));

        Assert.True(StoredText.Bytes(texts[0]) <= 1024);
        Assert.Contains("[truncated:", texts[0]);
        Assert.Equal("short", texts[1]);
        var replay = new SampleIndexingChatClient(new RecordReplayChatClient(provider, new ModelResponseStore(store), RecordReplayMode.Replay, limits));
        Assert.Equal(texts, ChatConventions.Texts(await replay.GetResponseAsync(Chat.Ask("improve A"), Chat.Options(n: 2))));
    }
}
