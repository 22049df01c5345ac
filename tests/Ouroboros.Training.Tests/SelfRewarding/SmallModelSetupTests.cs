using System.Text.Json.Nodes;
using Ouroboros.SelfRewarding;
using Ouroboros.Store;
using Ouroboros.Training.SelfRewarding;

namespace Ouroboros.Training.Tests.SelfRewarding;

/// <summary>The demonstration's setup: seed data, M1, the small model's answers and judgements, its DPO step, checkpoints.</summary>
public sealed class SmallModelSetupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ouro-srsetup-").FullName;
    private readonly IRunStore _store;

    // Small enough to train in seconds; the shapes and rules are the demonstration's.
    private static readonly DemoSettings Quick = new()
    {
        Layers = 1, Width = 32, Heads = 2, Context = 48,
        Demonstrations = 60, JudgeExamples = 60, SftEpochs = 4, HeldOutPrompts = 20, DpoEpochs = 1,
    };

    public SmallModelSetupTests()
    {
        _store = RunStores.Open(Path.Combine(_folder, "runs.db"));
        _store.Journal.CreateRun("R1", "self-reward", new JsonObject());
    }

    [Fact]
    public async Task Seed_models_are_trained_once_per_seed_and_reproducible()
    {
        var setup = new SmallModelSetup(_store, "R1", Quick);
        using var m1 = (SmallLocalModel)await setup.SeedModelAsync(true, 1, default);
        using var again = (SmallLocalModel)await setup.SeedModelAsync(true, 1, default);
        using var baseline = (SmallLocalModel)await setup.SeedModelAsync(false, 1, default);
        Assert.Equal(m1.Id, again.Id);
        Assert.NotEqual(m1.Id, baseline.Id);

        // A second setup (another process, a resume) trains the same weights from the same seed.
        var fresh = new SmallModelSetup(_store, "R1", Quick);
        using var m1Again = (SmallLocalModel)await fresh.SeedModelAsync(true, 1, default);
        Assert.Equal(m1.Id, m1Again.Id);
        using var restored = (SmallLocalModel)await fresh.ModelAsync(m1.Id, default);
        Assert.Equal(m1.Id, restored.Id);
    }

    [Fact]
    public async Task Judge_examples_are_balanced_scored_by_the_rubric_and_only_in_M1s_data()
    {
        var setup = new SmallModelSetup(_store, "R1", Quick with { JudgeExamples = 120 });
        var examples = await setup.JudgeExamplesAsync(2, default);
        Assert.All(examples, e => Assert.StartsWith("judge sort ", e.Prompt));
        foreach (var (prompt, target) in examples)
        {
            var body = prompt["judge ".Length..^1];
            var split = body.IndexOf('=') + 1;
            Assert.Equal(setup.Task.Score(body[..split], body[split..]).ToString(), target);
        }
        Assert.All(examples.GroupBy(e => e.Response), g => Assert.True(g.Count() <= 20, $"score {g.Key}: {g.Count()} of 120"));
        Assert.DoesNotContain(setup.Demonstrations(2), d => d.Prompt.StartsWith("judge"));
        Assert.Equal(setup.Demonstrations(2).Count + examples.Count, (await setup.SeedDataAsync(true, 2, default)).Count);
    }

    [Fact]
    public async Task Answers_and_judgements_are_fixed_by_their_seed()
    {
        var setup = new SmallModelSetup(_store, "R1", Quick);
        using var model = (SmallLocalModel)await setup.SeedModelAsync(true, 3, default);
        string[] prompts = ["sort 321=", "sort 98765=", "sort 4444="];
        var sampling = SamplingSettings.Paper(8);
        var a = await model.AnswerAsync(prompts, 4, sampling, 11, default);
        Assert.Equal(12, a.Count);
        Assert.Equal(a, await model.AnswerAsync(prompts, 4, sampling, 11, default));
        Assert.NotEqual(a, await model.AnswerAsync(prompts, 4, sampling, 12, default));

        var items = prompts.Select((p, i) => new JudgedItem(p, a[4 * i])).ToList();
        var judged = await model.JudgeAsync(items, SamplingSettings.Paper(2), 5, default);
        Assert.All(judged, j => Assert.StartsWith("Score: ", j));
        Assert.Equal(judged, await model.JudgeAsync(items, SamplingSettings.Paper(2), 5, default));
    }

    [Fact]
    public async Task The_DPO_step_trains_from_M_t_and_keeps_the_checkpoint()
    {
        var setup = new SmallModelSetup(_store, "R1", Quick);
        using var m1 = (SmallLocalModel)await setup.SeedModelAsync(true, 4, default);
        var pairs = new List<PreferencePair>
        {
            new("sort 321=", "123", "321", 5, 2, 1),
            new("sort 541=", "145", "154", 5, 4, 1),
        };
        using var m2 = (SmallLocalModel)await setup.Trainer.TrainAsync(m1, 1, pairs, 4, default);
        Assert.NotEqual(m1.Id, m2.Id);
        using var loaded = (SmallLocalModel)await setup.ModelAsync(m2.Id, default);
        Assert.Equal(m2.Id, loaded.Id);

        // Pairs of one answer carry no preference (their DPO gradient is zero): with only those, M2 = M1.
        using var same = (SmallLocalModel)await setup.Trainer.TrainAsync(m1, 1, [new("sort 321=", "123", "123", 5, 4, 1)], 4, default);
        Assert.Equal(m1.Id, same.Id);
    }

    [Fact]
    public async Task Held_out_evaluation_reports_the_rubric_exactness_and_judge_agreement()
    {
        var setup = new SmallModelSetup(_store, "R1", Quick);
        using var m1 = (SmallLocalModel)await setup.SeedModelAsync(true, 5, default);
        var metrics = await setup.EvaluateAsync(m1, 5, default);
        Assert.Equal(["rubric", "exact", "judge agreement"], metrics.Select(m => m.Name));
        Assert.InRange(metrics[0].Value, 0, 5);
        Assert.InRange(metrics[1].Value, 0, 1);
        Assert.InRange(metrics[2].Value, 0, 1);
        Assert.Equal(20, metrics[0].N);
        Assert.Equal(metrics, await setup.EvaluateAsync(m1, 5, default));
    }

    public void Dispose()
    {
        (_store as IDisposable)?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
