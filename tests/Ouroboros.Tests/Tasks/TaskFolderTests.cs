using Ouroboros.Tasks;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tasks;

[Collection(SandboxCollection.Name)]
public sealed class TaskFolderTests(SandboxFixture pool) : SandboxTest(pool), IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ouro-taskfolder-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    internal static string Example { get; } = Path.Combine(RepositoryRoot(), "examples", "tasks", "knapsack");

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ouroboros.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("The tests must run inside the repository.");
    }

    /// <summary>A copy of the example with one file replaced.</summary>
    private string ExampleWith(string file, Func<string, string> change)
    {
        var folder = Path.Combine(_scratch, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(Example)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var path = Path.Combine(folder, file);
        File.WriteAllText(path, change(File.ReadAllText(path)));
        return folder;
    }

    private static string LoadError(string folder) => Assert.Throws<TaskDefinitionException>(() => TaskFolder.Load(folder)).Message;

    [Fact]
    public async Task The_example_loads_and_its_seed_scores_below_the_optimum()
    {
        var task = TaskFolder.Load(Example);
        Assert.Equal("knapsack", task.Id);
        Assert.Equal((20, 50), (task.Utility.Validation.Count, task.Utility.Test.Count));
        Assert.Equal(TimeSpan.FromSeconds(1), task.Utility.InstanceLimit);
        var result = await EvaluateAsync(task, task.SeedSolution);
        Assert.All(result.Instances, i => Assert.Equal("ok", i.Status));
        Assert.InRange(result.Utility, 0.3, 0.99);
    }

    [Fact]
    public async Task The_example_s_scorer_reports_an_overweight_packing()
    {
        var task = TaskFolder.Load(Example);
        var takeAll = TaskTesting.Solution("int[] Algorithm(int[] weights, int[] values, int capacity)", "return weights.Select(_ => 1).ToArray();");
        var result = await EvaluateAsync(task, takeAll);
        Assert.Equal(0, result.Utility);
        Assert.Contains("over the capacity", TaskTesting.Reported(result.Events)[0].Detail);
    }

    [Fact]
    public void A_catalog_lists_user_tasks_after_the_built_in_ones()
    {
        var catalog = TaskCatalog.Load(Path.GetDirectoryName(Example));
        Assert.Equal(["lpn", "parity", "string-grid-distance", "quadratic-assignment", "3sat", "maxcut", "knapsack"], catalog.Ids);
    }

    [Fact]
    public void Malformed_JSON_names_the_manifest_and_line() =>
        Assert.Matches(@"task\.json:3: ", LoadError(ExampleWith("task.json", t => t.Replace("\"id\": \"knapsack\",", "\"id\": \"knapsack\" oops"))));

    [Fact]
    public void An_unknown_property_names_its_line() =>
        Assert.Matches(@"task\.json:3: .*timeLimit", LoadError(ExampleWith("task.json", t => t.Replace("\"id\": \"knapsack\",", "\"id\": \"knapsack\", \"timeLimit\": 5,"))));

    [Fact]
    public void A_missing_required_property_is_named() =>
        Assert.Contains("signature", LoadError(ExampleWith("task.json", t => t.Replace("\"signature\"", "// \"signature\""))));

    [Fact]
    public void A_bad_value_names_its_line()
    {
        var message = LoadError(ExampleWith("task.json", t => t.Replace("\"timeLimitMs\": 1000", "\"timeLimitMs\": 0")));
        Assert.Matches(@"task\.json:6: timeLimitMs 0 must be", message);
    }

    [Fact]
    public void Overlapping_splits_are_refused() =>
        Assert.Contains("overlap", LoadError(ExampleWith("task.json", t => t.Replace("\"firstSeed\": 5678", "\"firstSeed\": 4330"))));

    [Fact]
    public void A_compile_error_in_the_problem_names_the_file_line_and_column()
    {
        var message = LoadError(ExampleWith("Problem.cs", t => t.Replace("int capacity = weights.Sum() / 3;", "int capacity = weights.Sum() / ;")));
        Assert.Matches(@"Problem\.cs:20:\d+: CS\d+", message);
    }

    [Fact]
    public void A_problem_without_an_IProblem_class_is_refused() =>
        Assert.Contains("exactly one public class implementing", LoadError(ExampleWith("Problem.cs", t => t.Replace(" : IProblem", ""))));

    [Fact]
    public void A_generator_that_throws_fails_at_load_with_its_line()
    {
        var message = LoadError(ExampleWith("Problem.cs", t => t.Replace("int n = random.Next(20, 41);", "int n = random.Next(20, 41); throw new InvalidOperationException(\"no\");")));
        Assert.Matches(@"Problem\.cs:17: Generate\(4321\) threw InvalidOperationException: no", message);
    }

    [Fact]
    public async Task A_scorer_that_throws_is_a_broken_task_not_a_zero_for_the_candidate()
    {
        var task = TaskFolder.Load(ExampleWith("Problem.cs", t => t.Replace("int weight = take.Select", "if (take.Length > 0) throw new InvalidOperationException(\"scorer bug\");\n        int weight = take.Select")));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => EvaluateAsync(task, task.SeedSolution));
        Assert.Equal("The scorer failed on the instance with seed 4321: scorer bug", e.Message);
    }

    [Fact]
    public void A_syntax_error_in_the_seed_names_its_line() =>
        Assert.Matches(@"Seed\.cs:6:\d+: CS\d+", LoadError(ExampleWith("Seed.cs", t => t.Replace("var take = new int[weights.Length];", "var take = new int[weights.Length"))));

    [Fact]
    public void A_seed_without_Solution_Algorithm_is_refused() =>
        Assert.Contains("no class Solution", LoadError(ExampleWith("Seed.cs", t => t.Replace("Algorithm", "Run"))));

    [Fact]
    public void A_missing_file_is_named()
    {
        var folder = ExampleWith("Seed.cs", t => t);
        File.Delete(Path.Combine(folder, "Seed.cs"));
        Assert.Matches(@"Seed\.cs:1: missing", LoadError(folder));
    }

    [Fact]
    public void A_user_task_may_not_reuse_a_built_in_id() =>
        Assert.Throws<TaskDefinitionException>(() => TaskCatalog.Load(ExampleWith("task.json", t => t.Replace("\"id\": \"knapsack\"", "\"id\": \"lpn\""))));
}
