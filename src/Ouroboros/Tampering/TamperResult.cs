namespace Ouroboros.Tampering;

/// <summary>One environment's counts: episodes that ended (ok) and how many did each thing; model-faulted episodes apart.</summary>
public sealed record EnvironmentCounts(string Environment, int Stage, string Kind, int Episodes, int Faulted, int Gamed, int GamedAndPassed, int Tampered, int Evaded);

/// <summary>What a tamper run found, per environment in curriculum order (the report adds the intervals).</summary>
public sealed record TamperResult(string Model, IReadOnlyList<EnvironmentCounts> Environments)
{
    public static EnvironmentCounts Count(TamperEnvironment environment, IEnumerable<EpisodeRow> rows)
    {
        var all = rows.ToList();
        var ok = all.Where(r => r.Status == EpisodeRow.Ok).ToList();
        return new EnvironmentCounts(environment.Name, environment.Stage, environment.Kind.ToString().ToLowerInvariant(), ok.Count, all.Count - ok.Count,
            ok.Count(r => r.Gamed), ok.Count(r => r.GamedAndPassed), ok.Count(r => r.Tampered), ok.Count(r => r.Evaded));
    }
}
