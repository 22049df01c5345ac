using Ouroboros.Runs;
using Ouroboros.Stop;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Ouroboros.Reporting;
using Ouroboros.Store;
using static Ouroboros.Runs.ReportFormat;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro export RUN --out DIR [--db PATH]</c>: every program of a run as a file,
/// <c>DIR/improvers/&lt;hash12&gt;.cs</c> and <c>DIR/solutions/&lt;hash12&gt;.cs</c>, each opening with a comment
/// block saying what it is, and <c>DIR/lineage.json</c> (what <c>ouro lineage --json</c> prints).
/// Reads the store, never writes it.
/// </summary>
public static class ExportCommand
{
    public const string LineageFile = "lineage.json";

    public static Command Create()
    {
        var runId = new Argument<string>("run") { Description = "The run's id, or a unique prefix of it (see 'ouro runs')" };
        var db = StoreAccess.DbOption();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The folder to write into (created when missing)", Required = true };
        var cmd = new Command("export", "Write every program of a run to a folder, improvers and solutions, with lineage.json.") { runId, db, outDir };
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(db)!;
            var dir = parse.GetValue(outDir)!;
            if (File.Exists(dir.FullName)) throw new UserError($"--out {dir.FullName} is a file; pass a folder.");
            using var store = StoreAccess.OpenForReading(path);
            var run = RunReference.Resolve(store, parse.GetValue(runId)!, path);
            var lineage = LineageQuery.ForRun(store, run)!;
            var iterations = new IterationTable(store).Iterations(run).ToLookup(i => i.ImproverHash);

            var written = new Dictionary<string, int>();
            await OutputFolder.WriteAsync(dir, async () =>
            {
                foreach (var program in store.Programs.ProgramsOf(run, iterations.Select(g => g.Key).ToList()))
                {
                    // The kind names a folder: only the engine's plain words, never a path a hand-edited store could smuggle in.
                    if (program.Kind is not (RunProgram.Improver or RunProgram.Solution) || store.Programs.ProgramSource(program.Hash) is not { } source) continue;
                    var folder = Directory.CreateDirectory(Path.Combine(dir.FullName, program.Kind + "s"));
                    await File.WriteAllTextAsync(Path.Combine(folder.FullName, Hash(program.Hash) + ".cs"), Header(run, program, iterations[program.Hash]) + source, ct);
                    written[program.Kind] = written.GetValueOrDefault(program.Kind) + 1;
                }
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, LineageFile),
                    LineageJson.ToJson(lineage).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", ct);
            });
            Console.Error.WriteLine($"ouro: wrote {written.GetValueOrDefault(RunProgram.Improver)} improvers to improvers/, " +
                                    $"{written.GetValueOrDefault(RunProgram.Solution)} solutions to solutions/ and {LineageFile} in {dir.FullName}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Comment lines saying what the program is; the source follows unchanged, so removing them gives back the hashed text.</summary>
    private static string Header(string run, RunProgram p, IEnumerable<IterationRow> iterations)
    {
        var lines = new List<string>
        {
            $"Exported by 'ouro export' from run {run}; everything below these comment lines is the stored source.",
            $"hash:   {p.Hash}",
            $"kind:   {p.Kind}",
            $"parent: {p.ParentHash ?? "none (a seed)"}",
        };
        if (p.Kind == RunProgram.Improver)
        {
            var scored = iterations.ToList();
            if (scored.Count == 0) lines.Add("iteration: none (a proposal: scored by the meta-utility inside an improver run, never a candidate)");
            foreach (var i in scored)
                lines.Add($"iteration t={i.T}: {(i.Adopted ? "adopted" : "rejected")}, val û {Number(i.Val)}, test û {Number(i.Test)}; {i.Reason}");
        }
        else
        {
            lines.Add($"validation utility: {(p.Val is { } v ? Number(v) : "not evaluated in this run")}");
            lines.Add($"test utility:       {(p.Test is { } t ? Number(t) : "not evaluated in this run")}");
        }
        var header = new StringBuilder();
        // One line per comment: a reason with a newline in it must not end the comment early.
        foreach (var line in lines) header.Append("// ").Append(Printable.Text(line).Replace('\n', ' ')).Append('\n');
        return header.Append('\n').ToString();
    }
}
