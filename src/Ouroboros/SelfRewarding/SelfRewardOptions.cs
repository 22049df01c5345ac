using System.Globalization;
using Ouroboros.Runs;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// A Self-Rewarding run (<see cref="SelfRewardExperiment"/>): how many iterations, how many prompts and
/// candidates, how candidates and judgements are sampled (the paper's values as defaults), which arms
/// (the loop and its controls) and how many seeds. Defaults here only (docs/self-rewarding.md).
/// </summary>
public sealed record SelfRewardOptions : ExperimentOptions
{
    public const string KindName = "self-reward";
    public const string Sft = "sft", Self = "self", NoEft = "no-eft", Shuffled = "shuffled", Oracle = "oracle";
    public static readonly IReadOnlyList<string> KnownArms = [Sft, Self, NoEft, Shuffled, Oracle];

    public override string Kind => KindName;

    /// <summary>T: training steps; M1 → M2 → M3 is 2, the paper's run.</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>New prompts per iteration.</summary>
    public int PromptsPerIteration { get; init; } = 64;

    /// <summary>N: candidates sampled per prompt (paper: 4).</summary>
    public int Candidates { get; init; } = 4;

    /// <summary>Candidate sampling temperature and top-p (paper: 0.7, 0.9).</summary>
    public double Temperature { get; init; } = 0.7;
    public double TopP { get; init; } = 0.9;

    /// <summary>Judgements per candidate, averaged (paper: 3).</summary>
    public int JudgeSamples { get; init; } = 3;

    /// <summary>
    /// Judge sampling temperature and top-p. The paper does not say; lucidrains samples its judge at
    /// 0.7 / 0.9 (<c>eval_temperature</c>, <c>eval_nucleus_p</c>), and three judgements averaged are only
    /// worth taking if they can differ.
    /// </summary>
    public double JudgeTemperature { get; init; } = 0.7;
    public double JudgeTopP { get; init; } = 0.9;

    /// <summary>Most tokens of a candidate answer.</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>Most tokens of a judgement (the prompt asks for ≤ 100 words and a score; lucidrains allows 256).</summary>
    public int JudgeMaxTokens { get; init; } = 256;

    /// <summary>
    /// The arms: <c>sft</c> (the paper's SFT baseline: M1 trained on IFT only where the setup trains M1, no iterations), <c>self</c> (the paper's loop), <c>no-eft</c> (M1 without
    /// judge examples, then the loop), <c>shuffled</c> (the self judge's scores permuted within a prompt),
    /// <c>oracle</c> (the hidden rubric judges).
    /// </summary>
    public IReadOnlyList<string> Arms { get; init; } = [Self];

    /// <summary>The seeds: one number is a count (0..n−1), several are the seeds themselves.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = ["1"];

    /// <summary>The user's trainer (<see cref="TrainerCommand"/>); the chat setup needs it.</summary>
    public string? TrainerCommand { get; init; }

    /// <summary>The user's prompt file (<see cref="PromptFile"/>); the chat setup needs it.</summary>
    public string? Prompts { get; init; }

    /// <summary>
    /// The demonstration's small local model (<c>--demo</c>): when set, the run trains it here instead of
    /// asking a user's model (no prompts file or trainer command then).
    /// </summary>
    public DemoSettings? Demo { get; init; }

    /// <summary>A folder to write each iteration's pairs into, <c>{arm}/s{seed}/pairs-t{t}.jsonl</c>; null: none written.</summary>
    public string? ExportPairs { get; init; }

    /// <summary>The seed values <see cref="Seeds"/> names.</summary>
    public IReadOnlyList<long> SeedValues => Seeds.Count == 1
        ? Enumerable.Range(0, (int)long.Parse(Seeds[0], CultureInfo.InvariantCulture)).Select(i => (long)i).ToList()
        : Seeds.Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();

    public SamplingSettings Answering => new(Temperature, TopP, MaxTokens);
    public SamplingSettings Judging => new(JudgeTemperature, JudgeTopP, JudgeMaxTokens);

    public override void Validate()
    {
        base.Validate();
        Within("iterations", Iterations, 1, 20);
        Within("promptsPerIteration", PromptsPerIteration, 1, 1_000_000);
        Within("candidates", Candidates, 2, 64);
        Within("judgeSamples", JudgeSamples, 1, 16);
        Within("maxTokens", MaxTokens, 1, 1_000_000);
        Within("judgeMaxTokens", JudgeMaxTokens, 1, 1_000_000);
        Sampling("temperature", Temperature, "topP", TopP);
        Sampling("judgeTemperature", JudgeTemperature, "judgeTopP", JudgeTopP);
        if (Arms.Count == 0) throw new OptionsException("arms", $"is empty; name one or more of {string.Join(", ", KnownArms)}");
        foreach (var arm in Arms)
            if (!KnownArms.Contains(arm)) throw new OptionsException("arms", $"names '{arm}', which is not an arm; known: {string.Join(", ", KnownArms)}");
        if (Arms.Distinct().Count() != Arms.Count) throw new OptionsException("arms", "names an arm twice");
        if (Seeds.Count == 0) throw new OptionsException("seeds", "is empty; give a count (5) or the seeds (3,7,11)");
        foreach (var s in Seeds)
            if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) throw new OptionsException("seeds", $"has '{s}', which is not a whole number");
        if (Seeds.Count == 1) Within("seeds", long.Parse(Seeds[0], CultureInfo.InvariantCulture), 1, 1000);
        else if (Seeds.Distinct().Count() != Seeds.Count) throw new OptionsException("seeds", "names a seed twice");
        Demo?.Validate();
        if (TrainerCommand is { } t && string.IsNullOrWhiteSpace(t)) throw new OptionsException("trainerCommand", "is empty");
    }

    private static void Sampling(string temperatureName, double temperature, string topPName, double topP)
    {
        if (temperature is < 0 or > 2) throw new OptionsException(temperatureName, $"must be between 0 and 2, not {temperature}");
        if (topP is <= 0 or > 1) throw new OptionsException(topPName, $"must be above 0 and at most 1, not {topP}");
    }
}
