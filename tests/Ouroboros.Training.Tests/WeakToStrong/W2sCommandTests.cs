using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Ouroboros.Training.Tests.WeakToStrong;

/// <summary><c>ouro w2s</c> as a user runs it: a separate process, its exit code, its output, then <c>ouro report</c>.</summary>
public sealed class W2sCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-w2s-").FullName;
    private string Db => Path.Combine(_dir, "runs.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly string[] Small =
        ["--seeds", "2", "--epochs", "2,6", "--sizes", "1,2,3", "--methods", "xent,logconf-paper", "--split-a", "0..300", "--split-b", "300..600", "--split-test", "600..1000", "--latent-dimension", "6"];

    [Fact]
    public async Task A_small_setting_a_run_reports_the_pgr_table_and_resumes_without_retraining()
    {
        var (exit, stdout, stderr) = await Ouro(["w2s", "--db", Db, "--json", .. Small]);
        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!.AsObject();
        var run = (string)report["run"]!;
        var pgr = report["w2s"]!["pgr"]!.AsArray();
        // 3 views × 2 methods × 2 epoch counts × 2 routes, each with pairs 1→2, 1→3 and "all".
        Assert.Equal(3 * 2 * 2 * 2 * 3, pgr.Count);
        // Each pair over 2 seeds; the "all" lines over both pairs too.
        Assert.All(pgr, g => Assert.Equal(g!["studentSize"] is null ? 4 : 2, (int)g["n"]! + (int)g["excluded"]!));
        // 3 views × 2 seeds × (1 weak + 2 ceilings + 2 sizes × 4 students + 2 links × 4 chains).
        var models = report["w2s"]!["models"]!.AsArray();
        Assert.Equal(3 * 2 * (1 + 2 + 8 + 8), models.Count);
        Assert.All(models.Where(m => (string)m!["role"]! == "student"), m => Assert.Equal((int)m!["epochs"]!, m["curve"]!.AsArray().Count));

        var (reportExit, text, _) = await Ouro(["report", run, "--db", Db]);
        Assert.Equal(0, reportExit);
        Assert.Contains("Performance gap recovered", text);
        Assert.Contains("Bootstrapping against direct", text);
        Assert.Contains("Test accuracy by student size", text);
        Assert.Contains("Training curves", text);
        Assert.Contains("1→3", text);

        // --out draws the paper's figure per view and epoch count: accuracy against student size, every series.
        var folder = Path.Combine(Path.GetDirectoryName(Db)!, "report");
        var (outExit, _, outError) = await Ouro(["report", run, "--db", Db, "--out", folder]);
        Assert.True(outExit == 0, outError);
        var figures = Directory.GetFiles(folder, "w2s-*.svg").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(3 * 2, figures.Count);
        Assert.Contains("w2s-latent-inexpressible-e6.svg", figures);
        var svg = File.ReadAllText(Path.Combine(folder, "w2s-latent-inexpressible-e6.svg"));
        foreach (var series in new[] { "weak supervisor", "ceiling", "student: xent", "student: logconf-paper" })
            Assert.Contains($"data-name=\"{series}\"", svg);

        // A finished run is not resumed.
        var (again, _, error) = await Ouro(["w2s", "--db", Db, "--resume", run]);
        Assert.Equal(2, again);
        Assert.Contains("already finished", error);

        // Left interrupted with one cell whole (one of its rows marked) and another cell gone: a resume trains the
        // missing cell again and leaves the whole one as stored.
        Sql($"UPDATE runs SET status = 'interrupted', result = NULL, finished_at = NULL WHERE id = '{run}'");
        Sql($"UPDATE w2s_models SET test_accuracy = 0.123 WHERE run_id = '{run}' AND view = 'salient' AND seed = 0 AND role = 'weak'");
        Sql($"DELETE FROM w2s_models WHERE run_id = '{run}' AND view = 'inexpressible' AND seed = 1 AND role <> 'weak'");
        var (resumed, resumedOut, resumedErr) = await Ouro(["w2s", "--db", Db, "--resume", run, "--json"]);
        Assert.True(resumed == 0, resumedErr);
        var after = JsonNode.Parse(resumedOut.Trim().Split('\n')[^1])!["w2s"]!["models"]!.AsArray();
        Assert.Equal(models.Count, after.Count);
        Assert.Equal(0.123, (double)after.Single(m => (string)m!["view"]! == "salient" && (int)m["seed"]! == 0 && (string)m["role"]! == "weak")!["testAccuracy"]!);
        // The retrained cell is as the first run trained it: seeded.
        string Cell(JsonArray all) => string.Join(";", all.Where(m => (string)m!["view"]! == "inexpressible" && (int)m["seed"]! == 1).Select(m => $"{m!["role"]}{m["method"]}{m["epochs"]}{m["size"]}={m["testAccuracy"]}"));
        Assert.Equal(Cell(models), Cell(after));
    }

    private void Sql(string statement)
    {
        using var connection = new SqliteConnection($"Data Source={Db}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = statement;
        Assert.True(command.ExecuteNonQuery() > 0, statement);
    }

    [Theory]
    [InlineData("--split-b 100..700", "--split-b is 100..700, which overlaps splitA")]
    [InlineData("--sizes 1,3", "--sizes is 1,3: a bootstrapping chain needs an intermediate size")]
    [InlineData("--setting vision", "--setting is 'vision'; use latent (setting (a)) or transformer (setting (b))")]
    public async Task Bad_input_is_one_line_and_exit_code_2_and_creates_no_store(string args, string message)
    {
        var (exit, _, stderr) = await Ouro(["w2s", "--db", Db, .. Small.Take(4), .. args.Split(' ')]);
        Assert.Equal(2, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(message, stderr);
        Assert.False(File.Exists(Db));
    }

    private static async Task<(int Exit, string Out, string Err)> Ouro(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ouro.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        return (process.ExitCode, await stdout, await stderr);
    }
}
