using Ouroboros.Runs;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// <c>self-reward</c>: the Self-Rewarding loop (Yuan et al. 2024, §2) run against a setup. Per arm and
/// seed, a chain: M1 from the seed data; for t = 1..T, new prompts, N candidates from M_t at the paper's
/// sampling, each scored by the arm's judge, the best and worst of each prompt a pair (AIFT(M_t)), and
/// M_{t+1} trained from M_t on them (reference M_t); every model evaluated. Everything is stored as it
/// happens; a resumed run skips each finished iteration and goes on from its trained model.
/// </summary>
public sealed class SelfRewardExperiment(ISelfRewardingSetup setup) : IExperiment<SelfRewardOptions, SelfRewardResult>
{
    public async Task<SelfRewardResult> RunAsync(RunContext run, SelfRewardOptions options, CancellationToken cancellationToken)
    {
        Check(options);
        setup.Attach(run);
        var tables = new SelfRewardTables(run.Store);
        var chains = new List<ChainResult>();
        foreach (var arm in options.Arms)
            foreach (var seed in options.SeedValues)
                chains.Add(await ChainAsync(run, options, tables, arm, seed, cancellationToken));
        return new SelfRewardResult(setup.Description, chains);
    }

    /// <summary>The arms this setup can run: no-EFT needs a seed model trained here, the oracle a hidden rubric.</summary>
    public void Check(SelfRewardOptions options)
    {
        if (options.Arms.Contains(SelfRewardOptions.NoEft) && !setup.TrainsSeedModel)
            throw new OptionsException("arms", $"names {SelfRewardOptions.NoEft}, but this setup ({setup.Description}) does not train M1, so there are no judge examples to leave out");
        if (options.Arms.Contains(SelfRewardOptions.Oracle) && setup.Rubric is null)
            throw new OptionsException("arms", $"names {SelfRewardOptions.Oracle}, but this setup ({setup.Description}) has no hidden rubric");
    }

    private async Task<ChainResult> ChainAsync(RunContext run, SelfRewardOptions options, SelfRewardTables tables, string arm, long seed, CancellationToken cancellationToken)
    {
        // The arms of one seed share M1, the prompts and the evaluation, so their differences are paired;
        // what each arm draws itself (answers, judgements, training) is its own.
        long chainSeed = LoopSeed.Of((long)options.Seed, $"s{seed}"), armSeed = LoopSeed.Of(chainSeed, arm);
        int last = arm == SelfRewardOptions.Sft ? 1 : options.Iterations + 1;
        var models = tables.Models(run.Id).Where(m => m.Arm == arm && m.Seed == seed && m.Finished).OrderBy(m => m.Iteration).ToList();
        ISelfRewardingModel model;
        if (models.Count == 0) model = await setup.SeedModelAsync(withJudgeExamples: arm is not (SelfRewardOptions.NoEft or SelfRewardOptions.Sft), chainSeed, cancellationToken);
        else if (models[^1].Iteration == last) return Chain(arm, seed, models);
        else model = await setup.ModelAsync(models[^1].NextModelId!, cancellationToken);   // resumed: the last finished iteration's M_t+1
        var judge = Judge(arm, options);

        for (int t = models.Count + 1; t <= last; t++)
        {
            var step = LoopSeed.Of(armSeed, $"t{t}");
            run.Progress.SetPhase($"{arm}, seed {seed}: M{t} answers");
            // One evaluation seed for every model of a seed: M2 and SFT see the same held-out draws, so
            // their difference is the models' alone.
            var metrics = await setup.EvaluateAsync(model, LoopSeed.Of(chainSeed, "evaluate"), cancellationToken);
            var prompts = setup.Prompts(t, options.PromptsPerIteration, LoopSeed.Of(chainSeed, "prompts"));
            var candidates = await CandidatesAsync(model, prompts, options, LoopSeed.Of(step, "answer"), cancellationToken);
            double meanLength = candidates.SelectMany(c => c).Select(c => (double)c.Length).DefaultIfEmpty(0).Average();
            if (t == last)
            {
                // The last model trains no successor: its answers are kept for their length (the paper's
                // length drift), not judged.
                var unjudged = candidates.Select(row => (IReadOnlyList<CandidateScore>)row.Select(_ => new CandidateScore([], [], null)).ToList()).ToList();
                tables.PutIteration(run.Id, arm, seed, t, prompts, candidates, unjudged, []);
                tables.Put(new ModelRow(run.Id, arm, seed, t, model.Id, null, null, null, null, meanLength, metrics, Finished: true));
                models.Add(tables.Models(run.Id).Single(m => m.Arm == arm && m.Seed == seed && m.Iteration == t));
                break;
            }
            run.Progress.SetPhase($"{arm}, seed {seed}: M{t} judges");
            var scores = await judge.ScoreAsync(model, prompts, candidates, LoopSeed.Of(step, "judge"), cancellationToken);
            var aift = PairBuilder.BuildAll(prompts, candidates, scores.Select(r => (IReadOnlyList<double?>)r.Select(c => c.Score).ToList()).ToList(), t);
            tables.PutIteration(run.Id, arm, seed, t, prompts, candidates, scores, aift.Pairs);
            if (options.ExportPairs is { } folder) AiftExport.Write(Path.Combine(folder, arm, $"s{seed}", $"pairs-t{t}.jsonl"), aift.Pairs);

            run.Progress.SetPhase($"{arm}, seed {seed}: training M{t + 1} on {aift.Kept} pairs ({aift.Tied} prompts tied, {aift.TooFewScores} with too few scores)");
            var next = await setup.Trainer.TrainAsync(model, t, aift.Pairs, LoopSeed.Of(step, "train"), cancellationToken);
            // Finished only once M_t+1 exists: a run stopped before this point does iteration t again.
            tables.Put(new ModelRow(run.Id, arm, seed, t, model.Id, next.Id, aift.Kept, aift.Tied, aift.TooFewScores, meanLength, metrics, Finished: true));
            models.Add(tables.Models(run.Id).Single(m => m.Arm == arm && m.Seed == seed && m.Iteration == t));
            model = next;
        }
        return Chain(arm, seed, models);
    }

    /// <summary>Each prompt's N candidates (the model answers prompt-major).</summary>
    private static async Task<IReadOnlyList<IReadOnlyList<string>>> CandidatesAsync(ISelfRewardingModel model, IReadOnlyList<string> prompts, SelfRewardOptions options,
        long seed, CancellationToken cancellationToken)
    {
        var answers = await model.AnswerAsync(prompts, options.Candidates, options.Answering, seed, cancellationToken);
        if (answers.Count != prompts.Count * options.Candidates)
            throw new InvalidOperationException($"the model returned {answers.Count} answers for {prompts.Count} prompts × {options.Candidates} candidates");
        return prompts.Select((_, p) => (IReadOnlyList<string>)answers.Skip(p * options.Candidates).Take(options.Candidates).ToList()).ToList();
    }

    /// <summary>The arm's judge: the model itself, its scores shuffled, or the hidden rubric.</summary>
    private IPreferenceJudge Judge(string arm, SelfRewardOptions options)
    {
        var self = new SelfJudge(options.JudgeSamples, options.Judging);
        return arm switch
        {
            SelfRewardOptions.Shuffled => new ShuffledJudge(self),
            SelfRewardOptions.Oracle => new OracleJudge(setup.Rubric!),
            _ => self,
        };
    }

    private static ChainResult Chain(string arm, long seed, IReadOnlyList<ModelRow> models) =>
        new(arm, seed, models.Select(m => new ChainModel(m.Iteration, m.ModelId, m.Kept, m.Metrics)).ToList());
}
