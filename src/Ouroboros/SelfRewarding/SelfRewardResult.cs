namespace Ouroboros.SelfRewarding;

/// <summary>What a Self-Rewarding run did: the setup, and per chain (arm × seed) its models, each with the pairs its iteration kept (the report adds the statistics).</summary>
public sealed record SelfRewardResult(string Setup, IReadOnlyList<ChainResult> Chains);

/// <summary>One chain: M1, M2, ... of one arm and seed.</summary>
public sealed record ChainResult(string Arm, long Seed, IReadOnlyList<ChainModel> Models);

/// <summary>M_t of a chain: its id, the pairs AIFT(M_t) kept (null: none built), and its evaluation.</summary>
public sealed record ChainModel(int Iteration, string ModelId, int? PairsKept, IReadOnlyList<ModelMetric> Metrics);
