using System.Diagnostics;
using Ouroboros.Models;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// The training step as the user's own command (<c>--trainer-command</c>, docs/self-rewarding.md):
/// run through <c>/bin/sh -c</c> with the iteration, the pairs (JSON Lines, <see cref="AiftExport"/>),
/// the current model's spec and an output path in its environment; it trains M_{t+1} with reference
/// M_t, serves it, and writes the new model's spec (what <c>--model</c> takes) as the first line of the
/// output file. A non-zero exit, or no spec, is a <see cref="TrainerFailedException"/>: the iteration is
/// not finished, and the run fails resumable. Nothing secret goes on its command line: a key the
/// user's trainer needs is in the environment it inherits, never in argv.
/// </summary>
public sealed class TrainerCommand(string command, Func<string, ISelfRewardingModel> model, string? workFolder = null) : IPreferenceTrainer
{
    public const string IterationVariable = "OURO_ITERATION", PairsVariable = "OURO_PAIRS", PairCountVariable = "OURO_PAIR_COUNT",
        ModelVariable = "OURO_MODEL", OutputVariable = "OURO_OUTPUT", SeedVariable = "OURO_SEED";

    /// <summary>Lines of the trainer's stderr quoted in a failure.</summary>
    private const int QuotedLines = 3;

    public async Task<ISelfRewardingModel> TrainAsync(ISelfRewardingModel current, int iteration, IReadOnlyList<PreferencePair> pairs, long seed, CancellationToken cancellationToken)
    {
        // A folder per call: two chains training at once never share files; kept when the trainer fails, for the user to look at.
        var folder = Directory.CreateDirectory(Path.Combine(workFolder ?? Path.GetTempPath(), $"ouro-trainer-t{iteration}-{Guid.NewGuid():N}")).FullName;
        var pairsPath = Path.Combine(folder, $"pairs-t{iteration}.jsonl");
        var output = Path.Combine(folder, "model-spec.txt");
        AiftExport.Write(pairsPath, pairs);
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Environment.CurrentDirectory,
        };
        start.Environment[IterationVariable] = iteration.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[PairsVariable] = pairsPath;
        start.Environment[PairCountVariable] = pairs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[ModelVariable] = current.Id;
        start.Environment[OutputVariable] = output;
        start.Environment[SeedVariable] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var process = Process.Start(start) ?? throw new TrainerFailedException(iteration, "/bin/sh could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try { await process.WaitForExitAsync(cancellationToken); }
        catch (OperationCanceledException)
        {
            // The user's stop stops the training too: nothing keeps running after the run ends.
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        await Task.WhenAll(stdout, stderr);
        if (process.ExitCode != 0)
            throw new TrainerFailedException(iteration, $"the trainer command exited with {process.ExitCode}{Quoted(await stderr)}; its files are in {folder}");
        var spec = File.Exists(output) ? File.ReadLines(output).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) : null;
        if (spec is null)
            throw new TrainerFailedException(iteration, $"the trainer command exited 0 but wrote no model spec to ${OutputVariable} ({output}){Quoted(await stderr)}");
        if (!ModelSpec.TryParse(spec, out _, out var error))
            throw new TrainerFailedException(iteration, $"the trainer command wrote '{spec}', which is not a model spec: {error}");
        Directory.Delete(folder, recursive: true);
        return model(spec);
    }

    private static string Quoted(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(QuotedLines).ToList();
        return lines.Count == 0 ? "" : $" (stderr: {string.Join(" | ", lines)})";
    }
}

/// <summary>The user's trainer failed at an iteration: the run stops there, failed and resumable from the last finished iteration.</summary>
public sealed class TrainerFailedException(int iteration, string problem) : Exception($"iteration {iteration}: {problem}")
{
    public int Iteration { get; } = iteration;
}
