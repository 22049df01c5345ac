using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Tasks;

namespace Ouroboros.Transfer;

/// <summary>
/// <c>transfer</c>: an improver (stored in the run store) and the seed improver side by side, at the
/// same budgets, on tasks of the user's choosing — the table a STOP run makes on its meta-test
/// tasks (<see cref="StopOptions.TransferTasks"/>), for any improver after the fact.
/// </summary>
public sealed class TransferExperiment(TaskCatalog catalog) : IExperiment<TransferOptions, TransferResult>
{
    public Task<TransferResult> RunAsync(RunContext run, TransferOptions options, CancellationToken cancellationToken)
    {
        var tasks = ImproverOptions.Resolve(catalog, "tasks", options.Tasks);
        var improver = run.Store.Programs.ProgramSource(options.Improver)
            ?? throw new OptionsException("improver", $"names program {options.Improver}, which is not in this run store");
        return new TransferTable(new StopRun(run, options, tasks)).RunAsync(improver, cancellationToken);
    }
}
