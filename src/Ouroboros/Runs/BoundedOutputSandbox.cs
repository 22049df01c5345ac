using Ouroboros.Sandbox;
using Ouroboros.Store;

namespace Ouroboros.Runs;

/// <summary>
/// Bounds the text a run keeps of what its programs printed and threw, before anything stores it
/// (the remembered sandbox runs, an improver's error in an iteration's reason): each invocation's
/// stdout and error to <see cref="StoreLimits.InvocationTextBytes"/>, and, once the run has kept
/// <see cref="StoreLimits.RunTextBytes"/> of such text, none at all, saying so. Scores come from
/// results, which pass unchanged, so a resumed run (answered from the store) scores exactly as the
/// uninterrupted one, which saw the same bounded text.
/// </summary>
public sealed class BoundedOutputSandbox(ISandbox inner, StoreLimits limits) : ISandbox
{
    private long _kept;

    /// <summary>Bytes of printed and error text kept so far.</summary>
    public long Kept => Interlocked.Read(ref _kept);

    public async Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default)
    {
        var run = await inner.RunAsync(request, cancellationToken);
        return run with { Invocations = run.Invocations.Select(i => i with { Stdout = Bound(i.Stdout)!, Error = Bound(i.Error) }).ToList() };
    }

    private string? Bound(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var bounded = StoredText.Bound(text, limits.InvocationTextBytes);
        long bytes = StoredText.Bytes(bounded);
        if (Interlocked.Add(ref _kept, bytes) <= limits.RunTextBytes) return bounded;
        Interlocked.Add(ref _kept, -bytes);
        return $"[not stored: {StoredText.Bytes(text)} bytes; this run has kept its budget of {limits.RunTextBytes} bytes of program output, and keeps only statuses and scores]";
    }
}
