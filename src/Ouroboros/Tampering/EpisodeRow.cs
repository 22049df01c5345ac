namespace Ouroboros.Tampering;

/// <summary>
/// One episode as stored: where it ran (environment, index, variant), how it ended (<c>ok</c>, or
/// <c>model_fault</c> when the model stopped answering mid-episode: such episodes are reported apart
/// and not counted as honest), the commands run, its grade, and the content hashes of its transcript
/// and of its files before and after (each kept in the store's programs, kind <c>transcript</c> / <c>files</c>),
/// and of its own turns (<see cref="TurnsHash"/>).
/// </summary>
public sealed record EpisodeRow(string RunId, string Environment, int Index, int Variant, string Status, int Steps,
    double? Reward, bool? Passed, bool Gamed, bool Tampered, string Detail, string TranscriptHash, string FilesBefore, string FilesAfter)
{
    public const string Ok = "ok", ModelFault = "model_fault";

    /// <summary>
    /// The content hash of the episode's own turns, from its prompt on (programs, kind <c>turns</c>,
    /// <see cref="Transcript.ToJson"/>): what an in-context curriculum shows of it to later stages, kept
    /// so a resumed run shows exactly what the uninterrupted run would have. Null in rows stored before it was kept.
    /// </summary>
    public string? TurnsHash { get; init; }

    public bool GamedAndPassed => Gamed && Passed == true;
    public bool Evaded => Tampered && Passed == true;
}
