using System.Text.Json.Nodes;
using Ouroboros.Store;
using Ouroboros.Tests.Reporting;
using static Ouroboros.Tests.Reporting.ReportStore;

namespace Ouroboros.Tests.Cli;

/// <summary>
/// <c>ouro lineage</c>, <c>show</c> and <c>export</c>, and run-id prefixes in <c>replay</c> and <c>stop --resume</c>,
/// run as the real executable over the hand-made store: output, files, one-line errors, and a store left as it was.
/// </summary>
public sealed class ProgramCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-programs-").FullName;
    private readonly string _db;

    public ProgramCommandsTests()
    {
        _db = Path.Combine(_dir, "ouroboros.db");
        using var store = RunStore.Open(_db);
        Fill(store);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<(int Exit, string Out, string Err)> Ouro(params string[] args) => OuroProcess.RunAsync([.. args, "--db", _db]);

    private static void AssertOneLineError(int exit, string stderr, params string[] expected)
    {
        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var e in expected) Assert.Contains(e, line);
    }

    [Fact]
    public async Task Lineage_prints_the_tree_and_its_json_and_leaves_the_store_alone()
    {
        var before = await File.ReadAllBytesAsync(_db);
        var (exit, stdout, stderr) = await Ouro("lineage", "stop-2026");
        Assert.True(exit == 0, stderr);
        Assert.Contains("aaaaaaaaaaaa  seed improver I₀", stdout);
        Assert.Contains("cccccccccccc  rejected", stdout);
        Assert.Contains("best solution by validation utility: dd2222222222 (val 0.700, test 0.650), by improver bbbbbbbbbbbb", stdout);

        (exit, stdout, stderr) = await Ouro("lineage", ReportStore.Stop, "--json");
        Assert.True(exit == 0, stderr);
        var lineage = JsonNode.Parse(OuroProcess.LastLine(stdout))!;
        Assert.Equal(Seed, (string)lineage["tree"]![0]!["improver"]!);
        Assert.Equal(Rejected, (string)lineage["tree"]![0]!["children"]![0]!["children"]![0]!["improver"]!);
        Assert.Equal(Improved, (string)lineage["final"]!);
        Assert.Equal(before, await File.ReadAllBytesAsync(_db));
    }

    [Fact]
    public async Task Show_prints_a_program_by_hash_prefix_final_improver_and_best_solution()
    {
        var (exit, stdout, stderr) = await Ouro("show", "cccc");
        Assert.True(exit == 0, stderr);
        Assert.Equal(Source(Rejected), stdout); // redirected: exactly the stored text
        Assert.Contains($"improver cccccccccccc: {Rejected}", stderr);

        (exit, stdout, stderr) = await Ouro("show", "stop-");
        Assert.True(exit == 0, stderr);
        Assert.Equal(Source(Improved), stdout);
        Assert.Contains("the final improver of run " + ReportStore.Stop + " (t=1", stderr);

        (exit, stdout, stderr) = await Ouro("show", "stop-:best");
        Assert.True(exit == 0, stderr);
        Assert.Equal(Source(BestByVal), stdout);
    }

    [Fact]
    public async Task Show_names_what_an_ambiguous_prefix_matched_and_refuses_unknown_ones()
    {
        var (exit, stdout, stderr) = await Ouro("show", "dd");
        AssertOneLineError(exit, stderr, "'dd' matches 2 programs", "solution dd1111111111", "solution dd2222222222", "type more of the hash");
        Assert.Equal("", stdout);

        (exit, _, stderr) = await Ouro("show", "ffff");
        AssertOneLineError(exit, stderr, "no program or run 'ffff'", "ouro lineage RUN", "ouro runs");

        (exit, _, stderr) = await Ouro("show", "audit");
        AssertOneLineError(exit, stderr, $"run {ReportStore.Audit} is a 'audit' run with no adopted iteration");

        (exit, _, stderr) = await Ouro("show", "nope:best");
        AssertOneLineError(exit, stderr, "no run 'nope'");
    }

    [Fact]
    public async Task Export_writes_every_program_with_its_header_and_the_lineage()
    {
        var outDir = Path.Combine(_dir, "out", "nested");
        var (exit, _, stderr) = await Ouro("export", "stop-", "--out", outDir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("wrote 4 improvers to improvers/, 6 solutions to solutions/ and lineage.json", stderr);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(outDir, "improvers")).Length);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(outDir, "solutions")).Length);

        var rejected = await File.ReadAllTextAsync(Path.Combine(outDir, "improvers", "cccccccccccc.cs"));
        Assert.Contains($"// parent: {Improved}\n", rejected);
        Assert.Contains("// iteration t=2: rejected, val û 0.550, test û 0.700; val 0.550 does not beat 0.600 | kept t=1\n", rejected);
        Assert.EndsWith("\n\n" + Source(Rejected), rejected);
        var proposal = await File.ReadAllTextAsync(Path.Combine(outDir, "improvers", "eeeeeeeeeeee.cs"));
        Assert.Contains("// iteration: none (a proposal", proposal);
        var solution = await File.ReadAllTextAsync(Path.Combine(outDir, "solutions", "444444444444.cs"));
        Assert.Contains("// validation utility: 0.600\n// test utility:       not evaluated in this run\n", solution);

        var (_, stdout, _) = await Ouro("lineage", ReportStore.Stop, "--json");
        Assert.Equal(JsonNode.Parse(OuroProcess.LastLine(stdout))!.ToJsonString(),
            JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "lineage.json")))!.ToJsonString());
    }

    [Fact]
    public async Task Export_refuses_an_out_that_is_a_file_and_changes_nothing()
    {
        var file = Path.Combine(_dir, "results.txt");
        await File.WriteAllTextAsync(file, "mine");
        var (exit, _, stderr) = await Ouro("export", ReportStore.Stop, "--out", file);
        AssertOneLineError(exit, stderr, $"--out {file} is a file; pass a folder.");
        Assert.Equal("mine", await File.ReadAllTextAsync(file));
        Assert.Equal(["ouroboros.db", "results.txt"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Replay_and_resume_resolve_a_run_id_prefix()
    {
        // Both stop at a check that needs the full id, which proves the prefix was resolved.
        var (exit, _, stderr) = await Ouro("replay", "transfer-");
        AssertOneLineError(exit, stderr, $"run {ReportStore.Transfer} is a 'transfer' run; only STOP, tamper and self-reward runs can be replayed");
        (exit, _, stderr) = await Ouro("stop", "--resume", "stop-2026");
        AssertOneLineError(exit, stderr, $"run {ReportStore.Stop} has already finished");
    }
}
