using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Ouroboros.Safety;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Dashboard.Tests;

/// <summary>
/// A run that is running while the pages are open: this test process writes it into a store through
/// the store interfaces, holding its lease as the run's process would, and the pages must follow it
/// without a reload. Its program and safety event carry markup, which the pages must show as text.
/// </summary>
[Collection(StoppedRunCollection.Name)]
public sealed class LiveRunTests(Browser browser) : IDisposable
{
    private const string Id = "stop-live-0001";
    private const string Hostile = "</pre><img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-dashboard-live-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static void Iteration(RunStore store, int t) => new IterationTable(store).PutIteration(
        new IterationRow(Id, t, $"{t:x64}", 0.1 * t, 0.1 * t, [0.1 * t], [0.1 * t], true, t == 0 ? "the seed improver" : "adopted"));

    private static void Evaluation(RunStore store, int n) => store.Evaluations.PutEvaluation(new EvaluationRow(Id, $"{0:x64}", "3sat", "val", $"{n}+1", 0.5,
        new JsonArray(new JsonObject { ["seed"] = n, ["score"] = 0.5, ["status"] = "ok", ["ms"] = 1.0 }), new JsonObject { ["ok"] = 1 }, 1.0));

    [SkippableFact]
    public async Task A_running_run_s_progress_updates_without_a_reload_and_its_text_stays_text()
    {
        var db = Path.Combine(_dir, "live.db");
        using var store = RunStore.Open(db);
        store.Journal.CreateRun(Id, "stop", new JsonObject { ["kind"] = "stop", ["tasks"] = new JsonArray("3sat"), ["iterations"] = 3, ["model"] = "offline" });
        // Held by this live process, as the run's own process holds it: the run is running, not stale.
        var holder = new LeaseHolder(Environment.MachineName, Environment.ProcessId, Guid.NewGuid().ToString("N"));
        Assert.True(store.Leases.TryTake(Id, holder, TimeSpan.FromMinutes(10), null, out _));
        Assert.True(store.Leases.Renew(Id, holder, TimeSpan.FromMinutes(10), "iteration 0/3 · scoring the seed improver"));
        var hostileHash = new string('e', 64);
        store.Programs.PutProgram(hostileHash, "solution", Hostile, null, Id);
        store.Journal.AddEvents(Id, [new SafetyEvent(SafetyEventKinds.PolicyViolation, hostileHash, Hostile)]);
        Iteration(store, 0);
        Evaluation(store, 0);

        await using var dashboard = await DashboardProcess.StartAsync(db);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(dashboard.Root, "/").ToString());
        var progress = page.Locator($"tr[data-run='{Id}'] [data-testid=progress]");
        await Microsoft.Playwright.Assertions.Expect(progress).ToContainTextAsync("iteration 0/3 · 1 evaluations");
        Assert.Equal("running", await page.Locator($"tr[data-run='{Id}'] [data-status]").TextContentAsync());

        await Microsoft.Playwright.Assertions.Expect(page.Locator($"tr[data-run='{Id}'] [data-testid=phase]")).ToHaveTextAsync("iteration 0/3 · scoring the seed improver");
        Iteration(store, 1);
        Evaluation(store, 1);
        // The run's heartbeat says what it is doing now: the page follows without a reload.
        Assert.True(store.Leases.Renew(Id, holder, TimeSpan.FromMinutes(10), "iteration 1/3 · I0 improves itself"));
        await Microsoft.Playwright.Assertions.Expect(progress).ToContainTextAsync("iteration 1/3 · 2 evaluations", new() { Timeout = 15_000 });
        await Microsoft.Playwright.Assertions.Expect(page.Locator($"tr[data-run='{Id}'] [data-testid=phase]")).ToHaveTextAsync("iteration 1/3 · I0 improves itself", new() { Timeout = 15_000 });
        await Browser.ShotAsync(page, "running-runs");

        await page.GotoAsync(new Uri(dashboard.Root, $"/run.html?id={Id}").ToString());
        var runProgress = page.Locator("#run-progress");
        await Microsoft.Playwright.Assertions.Expect(runProgress).ToContainTextAsync("iteration 1/3");
        await Microsoft.Playwright.Assertions.Expect(runProgress).ToContainTextAsync("I0 improves itself");
        Iteration(store, 2);
        Evaluation(store, 2);
        await Microsoft.Playwright.Assertions.Expect(runProgress).ToContainTextAsync("iteration 2/3 · 3 evaluations", new() { Timeout = 15_000 });
        Assert.Equal(3 * 2, await page.Locator("#chart circle.point").CountAsync());

        // The hostile program and event, shown as the text they are.
        await page.Locator("#events-table a.event-program").ClickAsync();
        await page.Locator("pre.source").WaitForAsync();
        Assert.Equal(Hostile, await page.Locator("pre.source").TextContentAsync());
        Assert.Contains(Hostile, await page.Locator("#events-table").TextContentAsync());
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        await Browser.ShotAsync(page, "running-run");
    }
}
