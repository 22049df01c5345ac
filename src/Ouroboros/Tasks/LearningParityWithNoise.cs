namespace Ouroboros.Tasks;

/// <summary>
/// <c>lpn</c>, STOP's training task: learn a parity over a hidden subset of 10 bits from 100 noisy
/// training samples (5% of training labels flipped) and label 20 clean test samples. 20 validation
/// and 50 test instances, 2 s per instance (STOP's timeout). Scoring: see <see cref="ParityProblem"/>.
/// </summary>
public static class LearningParityWithNoise
{
    public const string Id = "lpn";
    public const string Signature = "int[] Algorithm(int[][] trainSamples, int[] trainParity, int[][] testSamples)";
    public const double NoiseLevel = 0.05;

    public static DownstreamTask Create() => new(
        Id, Signature, TaskResources.Description(Id), TaskResources.Seed(Id),
        new SecretUtility(new ParityProblem(NoiseLevel), validationCount: 20, testCount: 50, TimeSpan.FromSeconds(2)));
}
