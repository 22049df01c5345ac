namespace Ouroboros.Tasks;

/// <summary>
/// <c>parity</c>, STOP's "parity without noise": <see cref="LearningParityWithNoise"/> with clean
/// training labels, so Gaussian elimination over GF(2) solves it exactly. Same splits and limit as
/// <c>lpn</c> (20 validation, 50 test instances, 2 s); STOP used 20 test instances and no timeout.
/// </summary>
public static class NoiselessParity
{
    public const string Id = "parity";

    public static DownstreamTask Create() => new(
        Id, LearningParityWithNoise.Signature, TaskResources.Description(Id), TaskResources.Seed(Id),
        new SecretUtility(new ParityProblem(0), validationCount: 20, testCount: 50, TimeSpan.FromSeconds(2)));
}
