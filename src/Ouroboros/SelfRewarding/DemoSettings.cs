namespace Ouroboros.SelfRewarding;

/// <summary>
/// The small local model of the demonstration (<c>ouro self-reward --demo</c>; trained by
/// <c>Ouroboros.Training</c>): its size, its seed data and how it is trained, stored with the run like
/// every other option. The paper's learning rates (SFT 5.5e-6, DPO 1e-6) are for a 70B model fine-tuned
/// from a pretrained one; a 0.1M-parameter model trained from nothing needs rates about three orders of
/// magnitude larger, so these are ours. β = 0.1 and the reference = M_t are the paper's.
/// </summary>
public sealed record DemoSettings
{
    /// <summary>The transformer: layers, width, attention heads, context in tokens (136 k parameters by default).</summary>
    public int Layers { get; init; } = 2;
    public int Width { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int Context { get; init; } = 48;

    /// <summary>IFT seed data: correct demonstrations (the paper: 3,200 human-written).</summary>
    public int Demonstrations { get; init; } = 400;

    /// <summary>EFT seed data: judge examples with their rubric score, at most a sixth of them per score.</summary>
    public int JudgeExamples { get; init; } = 1000;

    /// <summary>
    /// Passes over the seed data in SFT. Counted in passes rather than steps so that M1 (IFT + EFT) sees its
    /// demonstrations as often as the IFT-only baseline does: with a fixed step count the larger mixture
    /// would see each demonstration less and M1 would start behind the baseline for that reason alone.
    /// </summary>
    public int SftEpochs { get; init; } = 40;
    public int SftBatchSize { get; init; } = 32;
    public double SftLearningRate { get; init; } = 2e-3;

    public double DpoLearningRate { get; init; } = 5e-4;
    public int DpoBatchSize { get; init; } = 32;

    /// <summary>Passes over an iteration's pairs of two different answers.</summary>
    public int DpoEpochs { get; init; } = 4;

    /// <summary>DPO's β (the paper's 0.1).</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>Held-out prompts the rubric scores each model on (and judge-agreement pairs, half as many).</summary>
    public int HeldOutPrompts { get; init; } = 200;

    /// <summary>Intra-op threads; results are bit-identical only for a fixed thread count.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>How many digits a prompt asks to sort.</summary>
    public int MinDigits { get; init; } = 3;
    public int MaxDigits { get; init; } = 6;

    public void Validate()
    {
        static void Positive(string name, double value) { if (!(value > 0)) throw new Runs.OptionsException($"demo.{name}", $"must be above 0, not {value}"); }
        Positive("layers", Layers); Positive("width", Width); Positive("heads", Heads); Positive("context", Context);
        if (Width % Heads != 0) throw new Runs.OptionsException("demo.width", $"must be a multiple of demo.heads ({Heads}), not {Width}");
        Positive("demonstrations", Demonstrations); Positive("judgeExamples", JudgeExamples);
        Positive("sftEpochs", SftEpochs); Positive("sftBatchSize", SftBatchSize); Positive("sftLearningRate", SftLearningRate);
        Positive("dpoLearningRate", DpoLearningRate); Positive("dpoBatchSize", DpoBatchSize); Positive("dpoEpochs", DpoEpochs);
        Positive("beta", Beta); Positive("heldOutPrompts", HeldOutPrompts); Positive("threads", Threads); Positive("minDigits", MinDigits);
        if (MaxDigits < MinDigits) throw new Runs.OptionsException("demo.maxDigits", $"must be at least demo.minDigits ({MinDigits}), not {MaxDigits}");
        // begin + "judge sort " + digits + "=" + an answer of up to maxDigits + 2 + "|" + score + end
        var longest = 1 + 11 + MaxDigits + 1 + MaxDigits + 2 + 1 + 1 + 1;
        if (Context < longest) throw new Runs.OptionsException("demo.context", $"must hold a judgement of a {MaxDigits}-digit prompt: at least {longest} tokens, not {Context}");
    }
}
