namespace Ouroboros.Store;

/// <summary>
/// Programs by content hash, each with the program it was made from (lineage) and the run that
/// stored it first; and the reading of a run's programs for its lineage.
/// </summary>
public interface IProgramStore
{
    /// <summary>Stores a program once; the first parent recorded is kept.</summary>
    void PutProgram(string hash, string kind, string source, string? parentHash, string runId);
    string? ProgramSource(string hash);
    string? ProgramParent(string hash);

    /// <summary>Up to two programs whose hash starts with <paramref name="prefix"/> (so users can type a short reference).</summary>
    IReadOnlyList<string> ProgramsStartingWith(string prefix);

    /// <summary>How many programs' hashes start with <paramref name="prefix"/>, and the first <paramref name="limit"/> of them with their kinds.</summary>
    (int Count, IReadOnlyList<(string Hash, string Kind)> First) ProgramsMatching(string prefix, int limit);

    /// <summary>
    /// The programs of one run (stored by it, evaluated in it, or among <paramref name="scored"/>: those its
    /// family's own tables say it scored), with their utilities in it.
    /// </summary>
    IReadOnlyList<RunProgram> ProgramsOf(string runId, IReadOnlyCollection<string>? scored = null);
}
