using System.Diagnostics;
using Ouroboros.Sweeps;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// The local executor: each grid point is a child <c>ouro sweep-point</c>, at most <c>--parallel</c> at
/// once — the same command a SLURM element runs, so both executors run a point the same way, and a
/// point that crashes takes only its own process down. Each child's output goes to
/// <c>LOGDIR/point-I.log</c>; one line per point here. A stop (Ctrl-C, SIGTERM) is passed on to every
/// child as SIGTERM, which leaves its run interrupted and resumable, and no further point is started.
/// </summary>
internal static class LocalSweep
{
    /// <summary>Runs the points; false when stopped before every one had ended.</summary>
    public static async Task<bool> RunAsync(SweepPlan plan, IReadOnlyList<int> indices, int parallel, string db, CancellationToken ct)
    {
        var logDir = plan.Execution.Slurm.LogDir!;
        Directory.CreateDirectory(logDir);
        using var gate = new SemaphoreSlim(parallel);
        var ended = await Task.WhenAll(indices.Select(async i =>
        {
            try { await gate.WaitAsync(ct); }
            catch (OperationCanceledException) { return false; }
            try
            {
                if (ct.IsCancellationRequested) return false;
                var point = plan.Points[i];
                var log = Path.Combine(logDir, $"point-{i}.log");
                var exit = await RunChildAsync(plan.SweepId, i, db, log, ct);
                Console.Error.WriteLine($"ouro: point {i} ({point.Label}): {Outcome(exit)}, run {point.RunId} (log {log})");
                return exit is not (ExitCodes.Interrupted or ExitCodes.Terminated);
            }
            finally { gate.Release(); }
        }));
        return ended.All(e => e) && !ct.IsCancellationRequested;
    }

    private static async Task<int> RunChildAsync(string sweepId, int index, string db, string log, CancellationToken ct)
    {
        var ouro = OuroExecutable.Command();
        var start = new ProcessStartInfo(ouro[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in ouro.Skip(1).Concat(["sweep-point", "--sweep", sweepId, "--index", index.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db]))
            start.ArgumentList.Add(a);
        await using var output = new StreamWriter(log, append: true) { AutoFlush = true };
        using var child = Process.Start(start)!;
        var lines = new object();
        void Copy(object _, DataReceivedEventArgs e) { if (e.Data is not null) lock (lines) output.WriteLine(e.Data); }
        child.OutputDataReceived += Copy;
        child.ErrorDataReceived += Copy;
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try { await child.WaitForExitAsync(ct); }
        catch (OperationCanceledException)
        {
            // Passed on as SIGTERM, not a kill: the child marks its run interrupted (it exits within 5 s).
            using (var term = Process.Start("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync(CancellationToken.None);
            await child.WaitForExitAsync(CancellationToken.None);
        }
        child.WaitForExit(); // the output handlers have drained
        return child.ExitCode;
    }

    private static string Outcome(int exit) => exit switch
    {
        ExitCodes.Ok => "finished",
        ExitCodes.Interrupted or ExitCodes.Terminated => "interrupted",
        ExitCodes.ModelUnavailable => "failed (the model stopped answering)",
        _ => $"failed (exit {exit})",
    };
}
