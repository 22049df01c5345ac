using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Ouroboros.Dashboard.Tests;

/// <summary>
/// Measures the dashboard's API and page times on a store of 100 runs and 100,000 evaluations
/// (<see cref="LargeStore"/>). A measurement, not a check run on every build: it takes minutes, so it
/// runs only with <c>OUROBOROS_DASHBOARD_BENCH=1</c>, and writes its medians to <c>response-times.md</c> in the test output.
/// </summary>
public sealed class ResponseTimes(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int Runs = 100, EvaluationsPerRun = 1000, Instances = 10, Repeats = 15;
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-dashboard-bench-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [SkippableFact]
    public async Task Medians_on_100_runs_and_100000_evaluations()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("OUROBOROS_DASHBOARD_BENCH") == "1", "set OUROBOROS_DASHBOARD_BENCH=1 to measure");
        var db = Path.Combine(_dir, "large.db");
        var fill = Stopwatch.StartNew();
        LargeStore.Fill(db, Runs, EvaluationsPerRun, Instances);
        var lines = new List<string> { $"store: {Runs} runs, {Runs * EvaluationsPerRun} evaluations of {Instances} instances, {new FileInfo(db).Length / 1_000_000} MB, filled in {fill.Elapsed.TotalSeconds:F0} s", "", "| request | median ms | p90 ms |", "|---|---|---|" };

        await using var dashboard = await DashboardProcess.StartAsync(db);
        var id = "stop-bench-0050";
        var report = System.Text.Json.Nodes.JsonNode.Parse(await dashboard.Http.GetStringAsync($"/api/runs/{id}"))!;
        var program = (string)report["iterations"]![3]!["improver"]!;
        foreach (var path in new[] { "/api/runs", $"/api/runs/{id}", $"/api/runs/{id}/programs/{program}", $"/api/runs/{id}/evaluations",
                     $"/api/runs/{id}/events", $"/api/runs/{id}/ledger", $"/api/runs/{id}/config" })
        {
            var times = new List<double>();
            for (int i = 0; i < Repeats; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await dashboard.Http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                Assert.True(response.IsSuccessStatusCode, path);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            lines.Add(Row("GET " + path.Replace(id, "{id}").Replace(program, "{hash}"), times));
        }

        // Its own browser, not the collection's: this class needs no STOP run, and is skipped unless asked for.
        var browser = new Browser();
        await browser.InitializeAsync();
        var page = await browser.NewPageAsync();
        foreach (var (name, path, ready) in new[]
                 {
                     ("runs page (100 rows drawn)", "/", $"tr[data-run='stop-bench-0000']"),
                     ("run page (chart, lineage, usage drawn)", $"/run.html?id={id}", "#usage-table"),
                     ("run page + program diff", $"/run.html?id={id}#program={program}", "#diff"),
                 })
        {
            var times = new List<double>();
            for (int i = 0; i < Repeats; i++)
            {
                await page.GotoAsync("about:blank");
                var watch = Stopwatch.StartNew();
                await page.GotoAsync(new Uri(dashboard.Root, path).ToString());
                await page.Locator(ready).WaitForAsync();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            lines.Add(Row(name, times));
        }
        await Browser.ShotAsync(page, "bench-run");
        await browser.DisposeAsync();
        var text = string.Join("\n", lines) + "\n";
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "response-times.md"), text);
        output.WriteLine(text);
    }

    private static string Row(string name, List<double> times)
    {
        times.Sort();
        return $"| {name} | {times[times.Count / 2]:F0} | {times[(int)Math.Ceiling(0.9 * times.Count) - 1]:F0} |";
    }
}
