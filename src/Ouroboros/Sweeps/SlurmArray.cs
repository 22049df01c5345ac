using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ouroboros.Sweeps;

/// <summary>
/// A sweep on SLURM: one job script, submitted as one job array (<c>sbatch --array</c>) whose element
/// i runs point i. The script <c>exec</c>s <c>ouro sweep-point</c>, so SLURM's SIGTERM (scancel,
/// preemption, the time limit: <c>--signal=B:TERM@S</c> sends it S seconds before) reaches the point's
/// own process, which marks its run interrupted before the SIGKILL that follows after <c>KillWait</c>;
/// <c>--requeue</c> lets SLURM run a preempted element again, and the point then resumes from the store.
/// The store location is passed verbatim: a PostgreSQL password comes from the job's environment
/// (<c>PGPASSWORD</c>, <c>~/.pgpass</c>; sbatch exports the submitter's), never from the script.
/// </summary>
public static class SlurmArray
{
    /// <summary>Where <c>sbatch</c> is on <c>PATH</c>, or null when it is not installed.</summary>
    public static string? FindSbatch() => FindOnPath("sbatch");

    /// <summary>The full path of <paramref name="program"/> on <c>PATH</c>, or null.</summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>
    /// The job script of <paramref name="plan"/>: <paramref name="ouro"/> is how to start <c>ouro</c>
    /// (a program and its first arguments), <paramref name="db"/> the store as the user named it.
    /// </summary>
    public static string Script(SweepPlan plan, IReadOnlyList<string> ouro, string db, string logDir)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var r = plan.Execution.Slurm;
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append($"# ouro sweep {plan.SweepId}: array element i runs grid point i (ouro sweep --status {plan.SweepId}).\n");
        s.Append($"#SBATCH --job-name=ouro-{plan.SweepId}\n");
        s.Append($"#SBATCH --output={logDir}/%A_%a.out\n");
        s.Append("#SBATCH --open-mode=append\n");
        s.Append("#SBATCH --requeue\n");
        s.Append($"#SBATCH --signal=B:TERM@{r.SignalSeconds.ToString(CultureInfo.InvariantCulture)}\n");
        if (r.Partition is { } partition) s.Append($"#SBATCH --partition={partition}\n");
        if (r.Time is { } time) s.Append($"#SBATCH --time={time}\n");
        if (r.CpusPerTask is { } cpus) s.Append($"#SBATCH --cpus-per-task={cpus.ToString(CultureInfo.InvariantCulture)}\n");
        if (r.Mem is { } mem) s.Append($"#SBATCH --mem={mem}\n");
        var command = ouro.Concat(["sweep-point", "--sweep", plan.SweepId, "--db", db]).Select(Quote);
        s.Append($"exec {string.Join(" ", command)} --index \"$SLURM_ARRAY_TASK_ID\"\n");
        return s.ToString();
    }

    /// <summary>Submits <paramref name="script"/> as an array over <paramref name="indices"/>; the job id, or <see cref="SlurmSubmitException"/> with sbatch's complaint.</summary>
    public static string Submit(string sbatch, string script, IReadOnlyList<int> indices)
    {
        var start = new ProcessStartInfo(sbatch) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--parsable");
        start.ArgumentList.Add($"--array={Ranges(indices)}");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var output = stdout.Result.Trim();
        if (process.ExitCode != 0 || output.Length == 0)
            throw new SlurmSubmitException($"sbatch refused the job array (exit {process.ExitCode}): {FirstLine(stderr)}");
        return output.Split(';')[0]; // --parsable: "jobid" or "jobid;cluster"
    }

    /// <summary><c>0-3,5,7-8</c>: the indices as SLURM's array ranges.</summary>
    public static string Ranges(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var sorted = indices.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    /// <summary>A word for bash, single-quoted.</summary>
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim();
}

/// <summary>sbatch ran and refused the submission: its message, in one line.</summary>
public sealed class SlurmSubmitException(string message) : Exception(message);
