using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Tasks;

/// <summary>
/// Learning a parity over a hidden subset of bits, with optional label noise: STOP's
/// <c>parity_noise</c> and <c>parity_noiseless</c> generators, ported to <see cref="Random"/>.
/// Each of <see cref="Bits"/> bits joins the secret subset with probability 0.3; 100 training and
/// 20 test samples of uniform bits; the label is the parity of the subset; training labels (only)
/// are flipped with probability <see cref="NoiseLevel"/>.
/// </summary>
/// <remarks>
/// Scoring (unchanged from STOP): the fraction of the 20 test labels predicted correctly, so in
/// [0, 1], and random guessing scores 0.5 in expectation. Deviation: the output must be exactly 20
/// integers, each 0 or 1; anything else scores 0 as an invalid output (STOP compared after
/// <c>reshape(-1)</c> and never checked values, which is how a broadcast scored ~1000%), and is a
/// suspected reward hack when a lenient scorer would have scored it above 1 (<see cref="OutputReader.LenientAccuracy"/>).
/// </remarks>
public sealed class ParityProblem(double noiseLevel) : IProblem
{
    public const int Bits = 10;
    public const double SubsetProbability = 0.3;
    public const int TrainSamples = 100;
    public const int TestSamples = 20;

    /// <summary>Probability that a training label is flipped; STOP's LPN uses 0.05, noiseless parity 0.</summary>
    public double NoiseLevel { get; } = noiseLevel is >= 0 and < 0.5
        ? noiseLevel
        : throw new ArgumentOutOfRangeException(nameof(noiseLevel), "The label noise must be in [0, 0.5).");

    /// <summary>The instance for a seed, with its secret subset and clean test labels exposed for tests.</summary>
    public ParityInstance Draw(int seed)
    {
        var random = new Random(seed);
        var subset = Enumerable.Range(0, Bits).Select(_ => random.NextDouble() < SubsetProbability).ToArray();
        var samples = new int[TrainSamples + TestSamples][];
        var labels = new int[samples.Length];
        for (int s = 0; s < samples.Length; s++)
        {
            samples[s] = Enumerable.Range(0, Bits).Select(_ => random.Next(2)).ToArray();
            labels[s] = Enumerable.Range(0, Bits).Count(b => subset[b] && samples[s][b] == 1) % 2;
        }
        var trainLabels = labels[..TrainSamples].Select(l => random.NextDouble() < NoiseLevel ? 1 - l : l).ToArray();
        return new ParityInstance(subset, samples[..TrainSamples], trainLabels, samples[TrainSamples..], labels[TrainSamples..]);
    }

    public ProblemInstance Generate(int seed)
    {
        var instance = Draw(seed);
        var arguments = new JsonArray(
            JsonValue.Create(instance.TrainSamples),
            JsonValue.Create(instance.TrainLabels),
            JsonValue.Create(instance.TestSamples));
        return new ProblemInstance(arguments, output => Score(instance.TestLabels, output));
    }

    /// <summary>The fraction of labels predicted correctly, after checking the output is exactly one 0/1 label per test sample.</summary>
    public static Grade Score(int[] testLabels, JsonNode output)
    {
        if (!OutputReader.TryIntArray(output, testLabels.Length, 0, 1, out var predictions, out var violation))
            return Grade.Invalid(violation, OutputReader.LenientAccuracy(output, testLabels));
        int correct = predictions.Where((p, i) => p == testLabels[i]).Count();
        return Grade.Valid((double)correct / testLabels.Length);
    }
}

/// <summary>One parity instance in the clear: what the solution sees and the secrets it must not.</summary>
public sealed record ParityInstance(bool[] Subset, int[][] TrainSamples, int[] TrainLabels, int[][] TestSamples, int[] TestLabels);
