using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Sweeps;

namespace Ouroboros.Tests.Sweeps;

/// <summary>How a sweep's grid expands into points, and how its SLURM job array is written.</summary>
public sealed class SweepGridTests
{
    private static readonly JsonObject Defaults = ConfigJson.Write(new StopOptions());

    private static IReadOnlyList<SweepPoint> Expand(string json) => SweepGrid.Expand(JsonNode.Parse(json)!.AsObject(), Defaults);

    [Fact]
    public void Tasks_models_and_seeds_are_axes_in_a_fixed_order_with_seeds_fastest()
    {
        var points = Expand("""{"seeds": 2, "models": ["offline", "openai:gpt-4o"], "tasks": ["3sat", "maxcut"], "iterations": 1}""");
        Assert.Equal(8, points.Count);
        Assert.Equal("tasks=3sat model=offline seed=1", points[0].Label);
        Assert.Equal("tasks=3sat model=offline seed=2", points[1].Label);
        Assert.Equal("tasks=3sat model=openai:gpt-4o seed=1", points[2].Label);
        Assert.Equal("tasks=maxcut model=openai:gpt-4o seed=2", points[7].Label);
        Assert.Equal(Enumerable.Range(0, 8), points.Select(p => p.Index));
        var options = ConfigJson.Read<StopOptions>(points[7].Config);
        Assert.Equal(["maxcut"], options.Tasks);
        Assert.Equal(2UL, options.Seed);
        Assert.Equal(1, options.Iterations);
    }

    [Fact]
    public void A_list_where_an_option_takes_one_value_is_an_axis_and_a_list_option_needs_a_list_of_lists()
    {
        var points = Expand("""{"tasks": [["3sat", "maxcut"]], "iterations": [1, 3], "transferTasks": ["lpn"], "seeds": [7, 11]}""");
        Assert.Equal(4, points.Count);
        Assert.Equal("tasks=3sat,maxcut iterations=1 seed=7", points[0].Label);
        Assert.All(points, p => Assert.Equal("[\"lpn\"]", p.Config["transferTasks"]!.ToJsonString(), ignoreCase: false));
        Assert.Equal(2, Expand("""{"transferTasks": [["lpn"], ["parity"]]}""").Count);
    }

    [Fact]
    public void Conflicting_or_empty_axes_name_the_option()
    {
        Assert.Equal("seed", Assert.Throws<OptionsException>(() => Expand("""{"seeds": 2, "seed": 3}""")).Option);
        Assert.Equal("tasks", Assert.Throws<OptionsException>(() => Expand("""{"tasks": []}""")).Option);
        Assert.Equal("tasks", Assert.Throws<OptionsException>(() => Expand("""{"tasks": ["3sat", "3sat"]}""")).Option);
        Assert.Equal("seeds", Assert.Throws<OptionsException>(() => Expand("""{"seeds": 0}""")).Option);
        Assert.Equal("seeds", Assert.Throws<OptionsException>(() => Expand("""{"seeds": ["x"]}""")).Option);
    }

    [Fact]
    public void The_job_script_execs_ouro_with_the_store_verbatim_and_asks_for_requeue_and_an_early_sigterm()
    {
        var plan = SweepPlan.Of("sweep-x", "stop", [], new SweepExecution("slurm", 1, SlurmResources.Default with { Partition = "gpu", Mem = "4G" }),
            Expand("""{"tasks": ["3sat", "maxcut"]}"""));
        var script = SlurmArray.Script(plan, ["/usr/bin/dotnet", "/opt/it's/ouro.dll"], "postgresql://me@db:5432/runs", "/shared/logs");
        Assert.StartsWith("#!/bin/bash\n", script);
        Assert.Contains("#SBATCH --requeue\n", script);
        Assert.Contains("#SBATCH --signal=B:TERM@60\n", script);
        Assert.Contains("#SBATCH --partition=gpu\n", script);
        Assert.Contains("#SBATCH --mem=4G\n", script);
        Assert.DoesNotContain("--time", script);
        Assert.Contains("exec '/usr/bin/dotnet' '/opt/it'\\''s/ouro.dll' 'sweep-point' '--sweep' 'sweep-x' '--db' 'postgresql://me@db:5432/runs' --index \"$SLURM_ARRAY_TASK_ID\"\n", script);
        Assert.Equal("sweep-x-p1", plan.Points[1].RunId);
        Assert.Equal("0-3,5,7-8", SlurmArray.Ranges([8, 0, 1, 2, 3, 5, 7]));
    }
}
