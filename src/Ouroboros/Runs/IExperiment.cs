namespace Ouroboros.Runs;

/// <summary>
/// An experiment the engine can run: given a run's context and its validated options, it does its
/// work through the context (sandbox, model, store) and returns its typed result, which the run
/// frame stores (<see cref="ExperimentHost"/>). Its kind is its options' <see cref="ExperimentOptions.Kind"/>;
/// how its result reads is its report section (see <c>Reporting</c>).
/// </summary>
public interface IExperiment<in TOptions, TResult> where TOptions : ExperimentOptions
{
    Task<TResult> RunAsync(RunContext run, TOptions options, CancellationToken cancellationToken);
}
