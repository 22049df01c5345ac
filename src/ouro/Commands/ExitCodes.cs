namespace Ouroboros.Cli.Commands;

/// <summary>What <c>ouro</c> exits with. Scripts rely on these; never renumber.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The tool itself failed (a bug, a broken installation).</summary>
    public const int Failure = 1;
    /// <summary>Bad input: an unknown id, a missing file, a malformed option. Nothing stored was changed.</summary>
    public const int BadInput = 2;
    /// <summary>A replay ran and its scores differ from the recorded run's: the run does not reproduce.</summary>
    public const int ReplayMismatch = 3;
    /// <summary>
    /// The run started but its model stopped answering (too many calls failed in a row); the run is
    /// marked <c>failed</c> with the reason, and a STOP run resumes once the model is back.
    /// </summary>
    public const int ModelUnavailable = 4;
    /// <summary>
    /// A replay ran and differs from the recorded run, but calls failed in the original (nothing was
    /// recorded to answer them): the run could not be reproduced, which is not a mismatch.
    /// </summary>
    public const int ReplayUnreproducible = 5;
    /// <summary>
    /// A sweep needs a scheduler that is not there: <c>--executor slurm</c> without <c>sbatch</c> on PATH,
    /// or sbatch refused the job array. Nothing was stored (a refused resubmission leaves the sweep as it was).
    /// </summary>
    public const int SchedulerUnavailable = 6;
    /// <summary>A sweep ran to its end, but some of its grid points failed; they are listed, and <c>ouro sweep --resume</c> runs them again.</summary>
    public const int PointsFailed = 7;
    /// <summary>
    /// The store's server (PostgreSQL) cannot be reached or refused the login: down, unknown host, wrong
    /// password. Nothing was written; the same command succeeds once the server answers.
    /// </summary>
    public const int StoreUnreachable = 8;
    /// <summary>
    /// A self-reward run's trainer command failed (a non-zero exit, or no model spec written): the run is
    /// marked <c>failed</c> at that iteration, and <c>ouro self-reward --resume</c> goes on from the last finished one.
    /// </summary>
    public const int TrainerFailed = 9;
    /// <summary>Stopped by Ctrl-C; a run left this way can be resumed.</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM (a scheduler's stop); a run left this way can be resumed.</summary>
    public const int Terminated = 143;
}
