using Microsoft.Extensions.AI;
using Ouroboros.Compilation;
using Ouroboros.Models;
using Ouroboros.Safety;
using Ouroboros.Sandbox;
using Ouroboros.Store;

namespace Ouroboros.Runs;

/// <summary>
/// What every experiment's run has: its id and store, the sandbox (whose finished solution runs
/// the run journal remembers, so a resume never repeats one), the model (metered), the progress
/// a person watches, the root of its <see cref="CallPath"/> (draw positions and critical path), and
/// how much may run side by side. Programs and safety events land in the store as they happen.
/// </summary>
public sealed class RunContext
{
    public RunContext(string id, IRunStore store, ISandbox sandbox, IChatClient model, RunProgress progress, int parallel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        Id = id;
        Store = store;
        Progress = progress;
        Parallel = parallel;
        // Text is bounded before the run remembers it, so what is stored and what a resume replays agree.
        Sandbox = new RecordedSandbox(new BoundedOutputSandbox(sandbox, store.Limits), store.Journal, id);
        Meter = new ModelMeter(model, progress);
    }

    public string Id { get; }
    public IRunStore Store { get; }
    public ISandbox Sandbox { get; }
    public RunProgress Progress { get; }
    public int Parallel { get; }

    /// <summary>The model, counted: every call of the run goes through here.</summary>
    public ModelMeter Meter { get; }
    public IChatClient Model => Meter;

    /// <summary>The run's root line of work: every other is a child of it, and its clock ends as the run's critical path.</summary>
    public CallPath Path { get; } = CallPath.Root();

    /// <summary>
    /// Stores a program (content-addressed) with its parent: the improver that produced it (a candidate
    /// improver's is the improver that improved itself, a solution's the improver that wrote it), null
    /// for seeds. The first parent stored is kept, so a program two improvers produced counts for the first.
    /// </summary>
    public string Remember(string source, string kind, string? parentHash)
    {
        var hash = ProgramHash.Of(source);
        Store.Programs.PutProgram(hash, kind, source, parentHash, Id);
        return hash;
    }

    public void Record(IEnumerable<SafetyEvent> events) => Store.Journal.AddEvents(Id, events);

    /// <summary>Runs <paramref name="count"/> independent pieces of work, at most <see cref="Parallel"/> at once, results in index order.</summary>
    public Task<T[]> FanoutAsync<T>(int count, Func<int, Task<T>> work, CancellationToken cancellationToken) =>
        Fanout.RunAsync(count, Parallel, work, cancellationToken);

    /// <summary>What the run's model did, for its stored result: calls, completions that arrived, and the critical path.</summary>
    public ModelUsageSummary Usage() => new(Meter.Calls, Meter.Completions, Path.RoundTrips);
}

/// <summary>
/// A run's (or a phase's) use of the model: calls made, completions that arrived (replayed ones
/// included), and the critical path — model round trips made one after another.
/// </summary>
public sealed record ModelUsageSummary(long Calls, long Completions, long CriticalPath);
