namespace Ouroboros.Training.SelfRewarding;

/// <summary>
/// The demonstration's sizes and training settings. The paper's learning rates (SFT 5.5e-6, DPO 1e-6)
/// are for a 70B model fine-tuned from a pretrained one; a 0.1M-parameter model trained from scratch
/// needs rates three orders of magnitude larger, so these are ours, chosen before the measurements and
/// not tuned on the held-out set. β = 0.1 and the reference = M_t are the paper's.
/// </summary>
public sealed record SmallModelSettings
{
    public TransformerShape Shape { get; init; } = new(Layers: 2, Width: 64, Heads: 4, Context: 48);

    /// <summary>IFT seed data: correct demonstrations (the paper: 3,200 human-written).</summary>
    public int Demonstrations { get; init; } = 400;

    /// <summary>EFT seed data: judge examples with their rubric score, balanced over scores 0–5.</summary>
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

    /// <summary>Passes over an iteration's pairs (those of two different answers: see <see cref="SmallModelDpoTrainer"/>).</summary>
    public int DpoEpochs { get; init; } = 4;

    public double Beta { get; init; } = 0.1;

    /// <summary>Held-out prompts the rubric scores each model on (and judge-agreement pairs, half as many).</summary>
    public int HeldOutPrompts { get; init; } = 200;

    /// <summary>Intra-op threads; results are bit-identical only for a fixed thread count.</summary>
    public int Threads { get; init; } = 1;

    public int MinDigits { get; init; } = 3;
    public int MaxDigits { get; init; } = 6;
}
