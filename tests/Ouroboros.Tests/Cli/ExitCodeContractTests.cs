using System.Text.Json.Nodes;

namespace Ouroboros.Tests.Cli;

/// <summary>
/// Input <c>ouro</c> cannot use, through <c>ouro</c> as a user runs it: a malformed option value, a
/// directory where a file belongs, an <c>--out</c> that cannot be written. Each is one line naming the
/// option or path and what to do, exit 2, in the user's words, never a .NET type's.
/// </summary>
public sealed class ExitCodeContractTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ouro-exitcodes-").FullName;
    private string Db => Path.Combine(_scratch, "runs.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task A_negative_seed_names_the_option_and_no_dotnet_type()
    {
        var (exit, _, stderr) = await OuroProcess.RunAsync("stop", "--seed", "-1", "--db", Db);
        Assert.Equal(2, exit);
        Assert.Equal("ouro: --seed expects a whole number, 0 or more, not '-1'.", stderr.Trim().Split('\n')[0]);
        Assert.DoesNotContain("System.", stderr);
        Assert.False(File.Exists(Db));

        // The same value in a --config file, and an unknown task: no .NET type, and no store created.
        var config = Path.Combine(_scratch, "config.json");
        File.WriteAllText(config, """{"seed": "abc"}""");
        (exit, _, stderr) = await OuroProcess.RunAsync("stop", "--config", config, "--db", Db);
        Assert.Equal(2, exit);
        Assert.Equal("ouro: seed expects a whole number, 0 or more", stderr.Trim());
        (exit, _, _) = await OuroProcess.RunAsync("stop", "--tasks", "nope", "--db", Db);
        Assert.Equal(2, exit);
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task A_directory_as_the_solution_is_one_line_exit_2()
    {
        var (exit, _, stderr) = await OuroProcess.RunAsync("eval", "--task", "3sat", "--solution", _scratch);
        Assert.Equal(2, exit);
        Assert.Equal($"ouro: --solution {_scratch} is a directory; pass a C# file defining Solution.Algorithm, or 'seed'", stderr.Trim());
    }

    [Fact]
    public async Task Improve_shows_the_improvers_compile_errors_and_an_out_that_cannot_be_written_is_one_line_exit_2()
    {
        var improver = Path.Combine(_scratch, "broken.cs");
        File.WriteAllText(improver, "public static class Improver { public static string Improve( { } }");
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("improve", "--task", "3sat", "--improver", improver, "--db", Db);
        Assert.True(exit == 0, stderr);
        Assert.Matches(@"improver run CompileError: .*CS1026: \) expected", stdout);
        var runId = stderr.Split('\n')[0].Split(' ')[2].TrimEnd(':');

        // Nothing can be created under /proc, whoever runs the test.
        foreach (var command in new[] { "report", "export" })
        {
            (exit, _, stderr) = await OuroProcess.RunAsync(command, runId, "--db", Db, "--out", "/proc/ouro-out");
            Assert.Equal(2, exit);
            Assert.Matches(@"^ouro: --out /proc/ouro-out cannot be written \(.+\); pass a folder you can write to\.$", stderr.Trim());
        }
    }
}
