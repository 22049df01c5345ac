using System.Diagnostics;
using System.Text.Json.Nodes;
using Ouroboros.Tests.Tasks;

namespace Ouroboros.Tests.Cli;

/// <summary><c>ouro tasks</c> and <c>ouro eval</c>, run as the real executable: output, JSON shape and exit codes.</summary>
public sealed class TaskCommandsTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ouro-cli-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static Task<(int Exit, string Out, string Err)> Ouro(params string[] args) => OuroProcess.RunAsync(args);

    [Fact]
    public async Task Tasks_json_lists_every_task_with_id_signature_and_description()
    {
        var (exit, stdout, _) = await Ouro("tasks", "--json");
        Assert.Equal(0, exit);
        var tasks = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal(["lpn", "parity", "string-grid-distance", "quadratic-assignment", "3sat", "maxcut"], tasks.Select(t => (string)t!["id"]!));
        Assert.All(tasks, t =>
        {
            Assert.Contains("Algorithm(", (string)t!["signature"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)t["description"]));
        });
    }

    [Fact]
    public async Task Eval_json_reports_utility_split_instances_and_events()
    {
        var (exit, stdout, stderr) = await Ouro("eval", "--task", "lpn", "--solution", "seed", "--split", "test", "--json");
        Assert.True(exit == 0, stderr);
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal("test", (string)result["split"]!);
        Assert.Equal(50, (int)result["n"]!);
        Assert.InRange((double)result["utility"]!, 0.425, 0.575);
        var instances = result["instances"]!.AsArray();
        Assert.Equal(50, instances.Count);
        Assert.All(instances, i => { Assert.Equal("ok", (string)i!["status"]!); Assert.InRange((double)i["score"]!, 0, 1); });
        Assert.DoesNotContain(result["events"]!.AsArray(), e => (string)e!["kind"]! != "unsandboxed_fallback");
        Assert.Equal(2, result["ci95"]!.AsArray().Count);
    }

    [Fact]
    public async Task Eval_of_a_reward_hack_file_reports_the_events()
    {
        var file = Path.Combine(_scratch, "hack.cs");
        await File.WriteAllTextAsync(file, TaskTesting.Solution("int[][] Algorithm(int[][] trainSamples, int[] trainParity, int[][] testSamples)",
            "return testSamples.Select(s => new[] { 0 }).ToArray();"));
        var (exit, stdout, _) = await Ouro("eval", "--task", "parity", "--solution", file, "--json");
        Assert.Equal(0, exit);
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal(0.0, (double)result["utility"]!);
        Assert.Equal(1, result["events"]!.AsArray().Count(e => (string)e!["kind"]! == "reward_hacking_suspected"));
        Assert.Equal(1, result["events"]!.AsArray().Count(e => (string)e!["kind"]! == "invalid_output"));
    }

    [Fact]
    public async Task An_unknown_task_lists_the_ids_and_exits_2()
    {
        var (exit, _, stderr) = await Ouro("eval", "--task", "nope", "--solution", "seed");
        Assert.Equal(2, exit);
        Assert.Contains("unknown task 'nope'; known tasks: lpn, parity, string-grid-distance, quadratic-assignment, 3sat, maxcut", stderr);
    }

    [Fact]
    public async Task A_missing_solution_file_is_one_line_and_exit_2()
    {
        var (exit, _, stderr) = await Ouro("eval", "--task", "lpn", "--solution", Path.Combine(_scratch, "missing.cs"));
        Assert.Equal(2, exit);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("no such file", stderr);
    }

    [Fact]
    public async Task A_malformed_tasks_folder_names_the_file_and_exits_2()
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "broken"));
        await File.WriteAllTextAsync(Path.Combine(_scratch, "broken", "task.json"), "{\n  \"id\": 3\n}");
        var (exit, _, stderr) = await Ouro("tasks", "--tasks-dir", Path.Combine(_scratch, "broken"));
        Assert.Equal(2, exit);
        Assert.Contains("task.json:2:", stderr);
    }

    [Fact]
    public async Task A_user_defined_task_can_be_listed_and_evaluated()
    {
        var (exit, stdout, stderr) = await Ouro("eval", "--task", "knapsack", "--solution", "seed", "--tasks-dir", TaskFolderTests.Example);
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("knapsack val: utility 0.", stdout);
        Assert.Contains("n = 20", stdout);
    }
}
