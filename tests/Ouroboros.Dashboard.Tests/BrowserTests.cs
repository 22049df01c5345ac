using Microsoft.Playwright;

namespace Ouroboros.Dashboard.Tests;

/// <summary>
/// The pages in headless Chromium against the dashboard of a real offline STOP run; each test keeps a
/// screenshot of its page under the test output (<see cref="Browser.Screenshots"/>).
/// </summary>
[Collection(StoppedRunCollection.Name)]
public sealed class BrowserTests(StoppedRun run, Browser browser)
{
    private string Url(string path) => new Uri(run.Dashboard.Root, path).ToString();

    private async Task<IPage> RunPageAsync()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(Url($"/run.html?id={run.Id}"));
        await page.Locator("#chart").WaitForAsync();
        return page;
    }

    [SkippableFact]
    public async Task The_runs_list_shows_the_run()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(Url("/"));
        var row = page.Locator($"tr[data-run='{run.Id}']");
        await row.WaitForAsync();
        Assert.Equal("finished", await row.Locator("[data-status]").TextContentAsync());
        Assert.Contains("iteration 2/2", await row.Locator("[data-testid=progress]").TextContentAsync());
        await page.Locator("#filter").FillAsync("no run is called this");
        Assert.Equal(0, await page.Locator($"tr[data-run='{run.Id}']").CountAsync());
        await page.Locator("#filter").FillAsync("3sat");
        await row.WaitForAsync();
        await Browser.ShotAsync(page, "runs");
    }

    [SkippableFact]
    public async Task The_run_page_draws_the_chart_and_the_lineage()
    {
        var page = await RunPageAsync();
        var iterations = run.Report["iterations"]!.AsArray().Count;
        Assert.Equal(2 * iterations, await page.Locator("#chart circle.point").CountAsync()); // val and test per iteration
        Assert.Equal(1, await page.Locator("#chart .baseline-band").CountAsync());
        Assert.Equal(1, await page.Locator("#chart .us-line").CountAsync());
        Assert.Equal((int)run.Report["lineage"]!["improvers"]!, await page.Locator("#lineage button.improver").CountAsync());
        Assert.Equal(1, await page.Locator("#lineage button[data-role=seed]").CountAsync());
        Assert.Contains("Verdict:", await page.Locator("#verdict").TextContentAsync());
        await Browser.ShotAsync(page, "run");
    }

    [SkippableFact]
    public async Task Clicking_a_rejected_candidate_shows_its_diff_and_the_rejection_reason()
    {
        var page = await RunPageAsync();
        var rejected = run.Rejected;
        await page.Locator($"#lineage button[data-hash='{rejected["improver"]}']").ClickAsync();
        await page.Locator("#diff").WaitForAsync();
        Assert.True(await page.Locator("#diff .add, #diff .del").CountAsync() > 0);
        Assert.Equal("false", await page.Locator(".decision").GetAttributeAsync("data-adopted"));
        Assert.Equal((string)rejected["reason"]!, await page.Locator(".decision .reason-text").TextContentAsync());
        Assert.Contains((string)rejected["improver"]!, await page.Locator("#program-title").TextContentAsync());
        await Browser.ShotAsync(page, "rejected-candidate");

        // The source view is highlighted by the vendored Prism.
        await page.Locator(".tabs button[data-view=source]").ClickAsync();
        Assert.True(await page.Locator("pre.source .token.keyword").CountAsync() > 0);
    }

    [SkippableFact]
    public async Task Two_improvers_compare_side_by_side_with_their_decisions_and_the_diff_between_them()
    {
        var page = await RunPageAsync();
        var rejected = run.Rejected;
        var final = (string)run.Report["final"]!["improver"]!;
        await page.Locator($"a.compare-final[href*='pa={rejected["improver"]}']").ClickAsync();
        await page.Locator("#improver-diff #diff").WaitForAsync();
        Assert.Equal([(string)rejected["improver"]!, final], await page.Locator(".compare-improver").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.hash)"));
        Assert.Equal((string)rejected["reason"]!, await page.Locator(".compare-improver").First.Locator(".reason-text").First.TextContentAsync());
        Assert.True(await page.Locator("#improver-diff #diff .add, #improver-diff #diff .del").CountAsync() > 0);
        Assert.Equal("Compare improvers", await page.Locator("h1").TextContentAsync());
        await Browser.ShotAsync(page, "compare-improvers");
    }

    [SkippableFact]
    public async Task A_safety_event_links_to_the_program_that_raised_it()
    {
        var events = (await run.GetJsonAsync($"/api/runs/{run.Id}/events")).AsArray();
        Assert.NotEmpty(events); // the small run's solutions return invalid outputs
        var page = await RunPageAsync();
        var link = page.Locator("#events-table a.event-program").First;
        await link.ClickAsync();
        var program = (string)events[0]!["program"]!;
        await Assertions.Expect(page.Locator("#program-title")).ToContainTextAsync(program);
        Assert.Contains(program, page.Url);
        Assert.True(await page.Locator("#program h4 + table td").CountAsync() > 0); // its events are listed with it
        await Browser.ShotAsync(page, "safety-event-program");
    }

    [SkippableFact]
    public async Task The_run_page_shows_the_replay_check_and_an_experiment_s_own_section()
    {
        var page = await RunPageAsync();
        Assert.Contains("identical", await page.Locator("#replays").TextContentAsync());
        await page.GotoAsync(Url($"/run.html?id={run.AuditId}"));
        await page.Locator("h2.experiment-table").WaitForAsync();
        Assert.True(await page.Locator("h2.experiment-table + p + table tbody tr").CountAsync() > 0);
        Assert.Equal(0, await page.Locator("#chart").CountAsync()); // an audit has no iterations
        await Browser.ShotAsync(page, "audit");
    }

    [SkippableFact]
    public async Task The_pages_use_nothing_but_the_dashboard_and_raise_no_errors()
    {
        var page = await browser.NewPageAsync();
        var requests = new List<string>();
        var errors = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await page.GotoAsync(Url("/"));
        await page.Locator($"tr[data-run='{run.Id}']").WaitForAsync();
        await page.GotoAsync(Url($"/run.html?id={run.Id}"));
        await page.Locator("#usage-table").WaitForAsync();
        await page.Locator("#all-evaluations summary").ClickAsync();
        await page.Locator("#all-evaluations table").WaitForAsync();
        await page.GotoAsync(Url($"/compare.html?a={run.Id}&b={run.Id}"));
        await page.Locator(".compare-run").First.WaitForAsync();
        await Browser.ShotAsync(page, "compare");
        Assert.Empty(errors);
        Assert.All(requests, r => Assert.StartsWith(run.Dashboard.Root.ToString(), r));
    }
}
