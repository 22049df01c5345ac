namespace Ouroboros.Store;

/// <summary>One run's recorded completions, by request hash and sample index: what resume and replay answer from.</summary>
public interface IResponseRecording
{
    /// <summary>Records a completion; recording the same (request, sample) again keeps the latest.</summary>
    void Put(string requestHash, long sampleIndex, string model, string completion);

    /// <summary>The recorded completion, or null when this (request, sample) was never recorded.</summary>
    string? Get(string requestHash, long sampleIndex);
}
