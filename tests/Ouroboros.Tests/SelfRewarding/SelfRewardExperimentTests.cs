using System.Text.Json.Nodes;
using Ouroboros.Models;
using Ouroboros.Runs;
using Ouroboros.Sandbox;
using Ouroboros.SelfRewarding;
using Ouroboros.Store;

namespace Ouroboros.Tests.SelfRewarding;

/// <summary>The loop over a fake setup, on the real run frame and store: its arms, its bookkeeping, resume and report.</summary>
public class SelfRewardExperimentTests
{
    private sealed class NoSandbox : ISandbox
    {
        public Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the self-reward loop runs no programs");
    }

    private static Task<SelfRewardResult> Run(IRunStore store, string runId, FakeSetup setup, SelfRewardOptions options) =>
        ExperimentHost.RunAsync(new SelfRewardExperiment(setup), options, store, runId, new OfflineMutationModel(), new RunProgress(), CancellationToken.None, new NoSandbox());

    private static readonly SelfRewardOptions Options = new()
    {
        Iterations = 2, PromptsPerIteration = 6, Candidates = 4, Arms = ["sft", "self", "shuffled", "oracle", "no-eft"], Seeds = ["3"],
    };

    [Fact]
    public async Task Each_model_trains_the_next_from_its_own_pairs_with_itself_as_reference_and_every_model_is_stored()
    {
        using var store = RunStore.InMemory();
        store.Journal.CreateRun("r", SelfRewardOptions.KindName, new JsonObject());
        var setup = new FakeSetup();
        var result = await Run(store, "r", setup, Options);

        // sft: M1 only; every other arm: M1 → M2 → M3, each step from the model it trained last.
        Assert.Equal(3 * 2 * 4, setup.Trained.Count);
        // The sft arm is the paper's SFT baseline: M1 trained on IFT only, the no-EFT arm's M1, with no iteration.
        Assert.All(result.Chains.Where(c => c.Arm == "sft"), c => Assert.Equal(["m1-noeft"], c.Models.Select(m => m.ModelId)));
        Assert.All(result.Chains.Where(c => c.Arm == "self"), c => Assert.Equal(["m1", "m1+t1", "m1+t1+t2"], c.Models.Select(m => m.ModelId)));
        Assert.All(result.Chains.Where(c => c.Arm == "no-eft"), c => Assert.Equal("m1-noeft", c.Models[0].ModelId));
        Assert.Contains(setup.Trained, t => t == ("m1+t1", 2, t.Pairs));

        var rows = new SelfRewardTables(store).Models("r");
        Assert.Equal(3 * (1 + 3 * 4), rows.Count);
        Assert.All(rows, r => Assert.True(r.Finished));
        // The self arm's pairs are what the judge saw: chosen has more dots than rejected.
        var pairs = new SelfRewardTables(store).Pairs("r", "self", 0, 1);
        Assert.NotEmpty(pairs);
        Assert.All(pairs, p => Assert.True(p.Chosen.Count(c => c == '.') > p.Rejected.Count(c => c == '.')));
        // The oracle's rubric prefers fewer dots: its pairs point the other way.
        Assert.All(new SelfRewardTables(store).Pairs("r", "oracle", 0, 1), p => Assert.True(p.Chosen.Count(c => c == '.') < p.Rejected.Count(c => c == '.')));
    }

    [Fact]
    public async Task A_resumed_run_repeats_no_finished_iteration_and_goes_on_from_the_last_trained_model()
    {
        using var store = RunStore.InMemory();
        store.Journal.CreateRun("r", SelfRewardOptions.KindName, new JsonObject());
        var options = Options with { Arms = ["self"], Seeds = ["2"] };
        var setup = new FakeSetup();
        int calls = 0;
        // The second training of the run (seed 0, t = 2) fails once.
        setup.FailAt = t => t == 2 && Interlocked.Increment(ref calls) == 1;
        var e = await Assert.ThrowsAsync<TrainerFailedException>(() => Run(store, "r", setup, options));
        Assert.Equal(2, e.Iteration);
        Assert.Equal(RunStates.Failed, store.Journal.GetRun("r")!.Status);
        Assert.Equal([("m1", 1)], setup.Trained.Select(t => (t.Model, t.Iteration)));

        store.Journal.SetStatus("r", RunStates.Running);
        var result = await Run(store, "r", setup, options);
        Assert.Equal([("m1", 1), ("m1+t1", 2), ("m1", 1), ("m1+t1", 2)], setup.Trained.Select(t => (t.Model, t.Iteration)));
        Assert.Equal(["m1", "m1+t1", "m1+t1+t2"], result.Chains[0].Models.Select(m => m.ModelId));
    }

    [Fact]
    public async Task The_report_has_medians_with_intervals_per_arm_and_model_and_M2_minus_SFT()
    {
        using var store = RunStore.InMemory();
        store.Journal.CreateRun("r", SelfRewardOptions.KindName, new JsonObject());
        await Run(store, "r", new FakeSetup(), Options with { Arms = ["sft", "self"], Seeds = ["5"] });
        var run = store.Journal.GetRun("r")!;
        var section = new SelfRewardReportSection();
        var tables = section.Tables(run, store);
        Assert.Equal(["Self-Rewarding", "Differences"], tables.Select(t => t.Title));
        // Only the contrasts whose both sides ran: the controls' arms did not.
        Assert.Equal(["M2 − SFT", "M2 − M1", "M3 − SFT"], tables[1].Rows.Select(r => r[0]).Distinct());
        Assert.Equal(["sft M1", "self M1", "self M2", "self M3"], tables[0].Rows.Select(r => $"{r[0]} {r[1]}"));
        Assert.Contains("rubric", tables[0].Columns);
        var json = section.Json(run, store)!;
        // The fake's rubric is the number of trainings plus a seed-dependent hundredth: M2 − SFT is 1 on every seed.
        var rubric = json["differences"]!.AsArray().Single(d => (string)d!["measure"]! == "rubric" && (string)d["contrast"]! == "M2 − SFT")!;
        Assert.Equal(1.0, (double)rubric["median"]!, 9);
        Assert.Equal(5, (int)rubric["n"]!);
        // M3 has one training more than M2.
        var m3Rubric = json["differences"]!.AsArray().Single(d => (string)d!["measure"]! == "rubric" && (string)d["contrast"]! == "M3 − SFT")!;
        Assert.Equal(2.0, (double)m3Rubric["median"]!, 9);
        var m3 = json["models"]!.AsArray().Single(m => (string)m!["arm"]! == "self" && (int)m["iteration"]! == 3)!;
        Assert.Equal(5, (int)m3["measures"]!["rubric"]!["n"]!);
        Assert.Contains("<svg", Ouroboros.Reporting.SelfRewardPlot.Render(json, "r"));
    }

    [Fact]
    public void An_arm_the_setup_cannot_run_is_an_options_error()
    {
        var chat = new ChatSetup("offline", ["p"], "true", _ => throw new InvalidOperationException());
        var e = Assert.Throws<OptionsException>(() => new SelfRewardExperiment(chat).Check(Options with { Arms = ["oracle"] }));
        Assert.Equal("arms", e.Option);
    }
}
