using System.Text.Json.Nodes;

namespace Ouroboros.Tests.Cli;

/// <summary><c>ouro bench sandbox</c>, run as the real executable: it measures every path and reports them in order.</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_json_reports_the_four_medians_their_n_and_the_compile_warm_up()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("bench", "sandbox", "--json", "--warm-runs", "20", "--fresh-runs", "3", "--compile-runs", "10");
        Assert.True(exit == 0, stderr);
        var result = JsonNode.Parse(stdout)!;
        double floor = (double)result["floorMs"]!, warm = (double)result["warmMs"]!, fresh = (double)result["freshMs"]!, compile = (double)result["compileMs"]!;
        // The floor is a direct call, the pool crosses a process boundary, a fresh process starts a runtime.
        Assert.True(floor > 0 && floor < warm && warm < fresh, $"floor {floor}, warm {warm}, fresh {fresh}");
        Assert.True(compile > 0);
        Assert.Equal((20, 3, 10), ((int)result["warm"]!["n"]!, (int)result["fresh"]!["n"]!, (int)result["compile"]!["n"]!));
        Assert.True((int)result["compileWarmUp"]!["compiles"]! >= 300);
        Assert.True((double)result["compileWarmUp"]!["first100MedianMs"]! > 0);
        Assert.False(string.IsNullOrEmpty((string?)result["isolation"]));
        Assert.InRange((double)result["warm"]!["stealPercent"]!, 0, 100); // this machine's /proc/stat has a steal column
    }

    [Fact]
    public async Task Too_few_runs_for_a_median_is_a_usage_error()
    {
        var (exit, _, stderr) = await OuroProcess.RunAsync("bench", "sandbox", "--warm-runs", "2");
        Assert.Equal(2, exit);
        Assert.Contains("--warm-runs 10", stderr);
    }
}
