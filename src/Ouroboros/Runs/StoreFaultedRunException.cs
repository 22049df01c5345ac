using Ouroboros.Store;

namespace Ouroboros.Runs;

/// <summary>
/// A run stopped because its store could not be written (a full disk, an I/O error, a read-only or damaged
/// file): the run is <c>interrupted</c> and resumes once the store is fixed. When marking it failed too —
/// the disk still full — <see cref="Marked"/> is false and the run reads as stale once this process exits,
/// which resumes the same way.
/// </summary>
public sealed class StoreFaultedRunException(string runId, RunStoreException fault, bool marked)
    : Exception(fault.Message, fault)
{
    public string RunId { get; } = runId;
    public RunStoreException Fault { get; } = fault;
    public bool Marked { get; } = marked;
}
