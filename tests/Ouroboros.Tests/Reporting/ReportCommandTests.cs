using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Ouroboros.Store;

using Ouroboros.Tests.Cli;

namespace Ouroboros.Tests.Reporting;

/// <summary><c>ouro runs</c> and <c>ouro report</c>, run as the real executable: output, files, and bad input that leaves the store alone.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private string FilledStore()
    {
        var path = PathOf("ouroboros.db");
        using (var store = RunStore.Open(path)) ReportStore.Fill(store);
        return path;
    }

    private static Task<(int Exit, string Out, string Err)> Ouro(params string[] args) => OuroProcess.RunAsync(args);

    private static string LastLine(string s) => s.TrimEnd().Split('\n')[^1];

    private static void AssertOneLineError(int exit, string stderr, string expected)
    {
        Assert.Equal(2, exit);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.Contains(expected, lines[0]);
    }

    [Fact]
    public async Task Runs_json_lists_every_run_with_id_status_kind_and_task()
    {
        var db = FilledStore();
        var (exit, stdout, stderr) = await Ouro("runs", "--db", db, "--json");
        Assert.True(exit == 0, stderr);
        var runs = JsonNode.Parse(LastLine(stdout))!.AsArray();
        Assert.Equal([ReportStore.Audit, ReportStore.Transfer, ReportStore.Stop], runs.Select(r => (string)r!["id"]!));
        Assert.All(runs, r => Assert.Equal("finished", (string)r!["status"]!));
        Assert.Equal("stop", (string)runs[2]!["kind"]!);
        Assert.Equal("lpn", (string)runs[2]!["task"]!);
    }

    [Fact]
    public async Task Report_json_prints_the_report_object_as_the_last_line()
    {
        var db = FilledStore();
        var (exit, stdout, stderr) = await Ouro("report", ReportStore.Stop, "--db", db, "--json");
        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(LastLine(stdout))!;
        Assert.Equal(ReportStore.Stop, (string)report["run"]!);
        Assert.Equal(3, report["iterations"]!.AsArray().Count);
        Assert.Equal(0.53, (double)report["baseline"]!["val"]!, 9);
        Assert.Equal(6, (int)report["safety"]!["total"]!);
    }

    [Fact]
    public async Task Report_resolves_a_unique_prefix_and_prints_tables()
    {
        var db = FilledStore();
        var (exit, stdout, stderr) = await Ouro("report", "audit-", "--db", db);
        Assert.True(exit == 0, stderr);
        Assert.Contains(ReportStore.Audit, stdout);
        Assert.Contains("42/10000", stdout);
        Assert.Contains("0.31%–0.57%", stdout);
    }

    [Fact]
    public async Task Report_out_writes_the_plot_the_markdown_and_the_json()
    {
        var db = FilledStore();
        var outDir = PathOf("out");
        var (exit, stdout, stderr) = await Ouro("report", ReportStore.Stop, "--db", db, "--out", outDir, "--json");
        Assert.True(exit == 0, stderr);
        Assert.Single(stdout.TrimEnd().Split('\n'));
        Assert.Contains("wrote meta-utility.svg, report.md, report.json", stderr);
        Assert.Equal("svg", XDocument.Load(Path.Combine(outDir, "meta-utility.svg")).Root!.Name.LocalName);
        var md = await File.ReadAllTextAsync(Path.Combine(outDir, "report.md"));
        Assert.Contains("## Iterations", md);
        Assert.Contains("## Transfer (run " + ReportStore.Transfer + "), test split", md);
        Assert.Contains("## Safety events", md);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "report.json")))!;
        Assert.Equal(ReportStore.Stop, (string)json["run"]!);
    }

    [Fact]
    public async Task An_unknown_run_says_how_to_list_runs()
    {
        var db = FilledStore();
        var (exit, _, stderr) = await Ouro("report", "nope", "--db", db);
        AssertOneLineError(exit, stderr, $"no run 'nope' in {db}; list the runs with 'ouro runs --db {db}'");
    }

    [Theory]
    [InlineData("runs")]
    [InlineData("report")]
    public async Task A_missing_store_is_an_error_and_is_not_created(string command)
    {
        var db = PathOf("missing.db");
        var (exit, _, stderr) = command == "runs" ? await Ouro("runs", "--db", db) : await Ouro("report", "r1", "--db", db);
        AssertOneLineError(exit, stderr, $"there is no run store at {db}");
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task A_file_that_is_not_a_store_is_refused_and_left_alone()
    {
        var path = PathOf("notes.txt");
        await File.WriteAllTextAsync(path, "my notes, not a database.\n".PadRight(4096, '.'));
        var before = await File.ReadAllBytesAsync(path);
        var (exit, _, stderr) = await Ouro("report", "r1", "--db", path);
        AssertOneLineError(exit, stderr, "not an Ouroboros run store");
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Single(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task Another_programs_database_is_refused_and_left_alone()
    {
        var path = PathOf("other.db");
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers (id INTEGER);";
            cmd.ExecuteNonQuery();
        }
        var before = await File.ReadAllBytesAsync(path);
        var (exit, _, stderr) = await Ouro("runs", "--db", path);
        AssertOneLineError(exit, stderr, "is a SQLite database but not an Ouroboros run store");
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_store_from_a_newer_schema_is_refused_and_left_alone()
    {
        var db = FilledStore();
        using (var store = RunStore.Open(db)) store.Execute($"UPDATE schema_version SET version = {Schema.CurrentVersion + 1};");
        var before = await File.ReadAllBytesAsync(db);
        var (exit, _, stderr) = await Ouro("report", ReportStore.Stop, "--db", db, "--json");
        AssertOneLineError(exit, stderr, "newer than this Ouroboros understands");
        Assert.Equal(before, await File.ReadAllBytesAsync(db));
    }
}
