namespace Ouroboros.Tests.Sweeps;

/// <summary>
/// A test that needs a SLURM cluster (<c>sbatch</c> on PATH, the daemons up: <c>.ci/slurm-up.sh</c>):
/// skipped with the reason where it is missing, failed instead when OUROBOROS_REQUIRE_SLURM=1 (CI
/// brings a one-node cluster up, so CI always runs the sweep through the real sbatch).
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (Ouroboros.Sweeps.SlurmArray.FindSbatch() is null && Environment.GetEnvironmentVariable("OUROBOROS_REQUIRE_SLURM") != "1")
            Skip = "SLURM is not installed (run .ci/slurm-up.sh as root for a one-node cluster); this test submits a sweep through sbatch";
    }
}
