using System.Text.Json.Nodes;

namespace Ouroboros.Tests.Cli;

/// <summary>
/// <c>ouro bench sandbox</c>, run as the real executable with the smallest counts it accepts: the
/// JSON it prints has the shape and sample counts its readers rely on. How fast anything is, is the
/// benchmark's to report (DEVELOPERS.md), never a test's to assert.
/// </summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_json_reports_the_four_medians_their_n_and_the_compile_warm_up()
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("bench", "sandbox", "--json",
            "--warm-runs", "10", "--fresh-runs", "3", "--compile-runs", "10", "--warm-up-compiles", "10");
        Assert.True(exit == 0, stderr);
        var result = JsonNode.Parse(stdout)!;
        foreach (var median in new[] { "floorMs", "warmMs", "freshMs", "compileMs", "freshOverWarm" })
            Assert.True((double)result[median]! > 0, $"{median}: {result[median]}");
        Assert.Equal((1000, 10, 3, 10), ((int)result["floor"]!["n"]!, (int)result["warm"]!["n"]!, (int)result["fresh"]!["n"]!, (int)result["compile"]!["n"]!));
        foreach (var name in new[] { "floor", "warm", "fresh", "compile" })
        {
            Assert.Equal((double)result[$"{name}Ms"]!, (double)result[name]!["medianMs"]!);
            Assert.True((double)result[name]!["p95Ms"]! >= (double)result[name]!["medianMs"]!, name);
        }
        Assert.Equal(10, (int)result["compileWarmUp"]!["compiles"]!); // below 200 the warm-up is not extended
        Assert.True((double)result["compileWarmUp"]!["first100MedianMs"]! > 0);
        Assert.False(string.IsNullOrEmpty((string?)result["isolation"]));
        Assert.InRange((double)result["warm"]!["stealPercent"]!, 0, 100); // this machine's /proc/stat has a steal column
    }

    [Theory]
    [InlineData("--warm-runs", "2")]
    [InlineData("--warm-up-compiles", "2")]
    public async Task Too_few_runs_for_a_median_is_a_one_line_usage_error(string option, string value)
    {
        var (exit, _, stderr) = await OuroProcess.RunAsync("bench", "sandbox", option, value);
        Assert.Equal(2, exit);
        Assert.Contains($"{option} 10", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
