using Ouroboros.Models;
using Ouroboros.SelfRewarding;

namespace Ouroboros.Tests.SelfRewarding;

/// <summary>The <c>--trainer-command</c> contract with stand-in scripts: what the trainer is given, what it answers, and how it fails.</summary>
public sealed class TrainerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-trainer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly PreferencePair[] Pairs =
    [
        new("Name a colour.", "Blue.", "I don't know", 4.5, 1, 1),
        new("2+2?", "4", "22", 5, 0.5, 1),
    ];

    private string Script(string body)
    {
        var path = Path.Combine(_dir, "trainer.sh");
        File.WriteAllText(path, "#!/bin/sh\nset -e\n" + body);
        return $"sh '{path}'";
    }

    private static ISelfRewardingModel Served(string spec)
    {
        var parsed = ModelSpec.Parse(spec);
        return new ChatSelfRewardingModel(spec, new OpenAICompatibleChatClient(parsed, ApiKeys.Resolve(parsed, null, _ => null)!), CallPath.Root(), 2);
    }

    [Fact]
    public async Task The_trainer_gets_the_pairs_and_the_current_model_and_its_spec_names_a_served_model()
    {
        await using var server = await ModelServer.StartAsync(new OfflineMutationModel(), "offline", 0);
        var seen = Path.Combine(_dir, "seen.txt");
        var command = Script($$"""
            n=$(wc -l < "$OURO_PAIRS")
            [ "$n" -eq "$OURO_PAIR_COUNT" ] || { echo "pair count $n, told $OURO_PAIR_COUNT" >&2; exit 3; }
            good=$(grep -c '^{"prompt":".*","chosen":".*","rejected":".*","score_chosen":[0-9.]*,"score_rejected":[0-9.]*,"iteration":'"$OURO_ITERATION"'}$' "$OURO_PAIRS")
            [ "$good" -eq "$n" ] || { echo "only $good of $n lines have the DPO shape" >&2; exit 4; }
            echo "$OURO_ITERATION $OURO_MODEL $OURO_SEED" > '{{seen}}'
            echo "openai:{{server.BaseUrl}}#offline" > "$OURO_OUTPUT"
            """);
        var m2 = await new TrainerCommand(command, Served).TrainAsync(new FakeModel("openai:http://127.0.0.1:1/v1#m1"), 1, Pairs, 42, CancellationToken.None);

        Assert.Equal($"openai:{server.BaseUrl}#offline", m2.Id);
        Assert.Equal("1 openai:http://127.0.0.1:1/v1#m1 42", File.ReadAllText(seen).Trim());
        // The spec is a model that answers.
        var answers = await m2.AnswerAsync(["Improve:\n```csharp\npublic static class A { public static int F(int x) => x + 1; }\n```"], 2, new SamplingSettings(0.7, 0.9, 256), 7, CancellationToken.None);
        Assert.Equal(2, answers.Count);
    }

    [Fact]
    public async Task A_failing_trainer_is_a_failure_of_its_iteration_quoting_its_last_words()
    {
        var command = Script("echo 'loading checkpoint' >&2\necho 'CUDA out of memory' >&2\nexit 3\n");
        var e = await Assert.ThrowsAsync<TrainerFailedException>(() => new TrainerCommand(command, Served).TrainAsync(new FakeModel("m1"), 2, Pairs, 1, CancellationToken.None));
        Assert.Equal(2, e.Iteration);
        Assert.StartsWith("iteration 2: the trainer command exited with 3 (stderr: loading checkpoint | CUDA out of memory)", e.Message);
    }

    [Fact]
    public async Task A_trainer_that_names_no_model_fails_and_one_that_names_a_malformed_spec_too()
    {
        var e = await Assert.ThrowsAsync<TrainerFailedException>(() => new TrainerCommand(Script("true\n"), Served).TrainAsync(new FakeModel("m1"), 1, Pairs, 1, CancellationToken.None));
        Assert.Contains("wrote no model spec to $OURO_OUTPUT", e.Message);
        e = await Assert.ThrowsAsync<TrainerFailedException>(() => new TrainerCommand(Script("echo 'openai:ftp://x#y' > \"$OURO_OUTPUT\"\n"), Served)
            .TrainAsync(new FakeModel("m1"), 1, Pairs, 1, CancellationToken.None));
        Assert.Contains("which is not a model spec", e.Message);
    }
}
