using System.Net;
using System.Text.Json.Nodes;

namespace Ouroboros.Dashboard.Tests;

/// <summary>The JSON API over HTTP against the dashboard of a real offline STOP run: what the pages use and users script against.</summary>
[Collection(StoppedRunCollection.Name)]
public sealed class ApiTests(StoppedRun run)
{
    [Fact]
    public async Task Runs_lists_the_run_with_status_task_model_progress_and_safety_counts()
    {
        var runs = (await run.GetJsonAsync("/api/runs")).AsArray();
        Assert.Equal(["audit", "replay", "stop"], runs.Select(r => (string)r!["kind"]!).Order());
        var r = runs.Single(x => (string)x!["id"]! == run.Id)!;
        Assert.Equal("stop", (string)r["kind"]!);
        Assert.Equal("finished", (string)r["status"]!);
        Assert.Equal("3sat", (string)r["task"]!);
        Assert.Equal("offline", (string)r["model"]!);
        Assert.Equal(2, (int)r["progress"]!["iterations"]!);
        Assert.Equal(2, (int)r["progress"]!["iterationsPlanned"]!);
        Assert.True((int)r["progress"]!["evaluations"]! > 0);
        Assert.Equal(0, (int)r["seed"]!["t"]!);
        Assert.Equal((int)run.Report["final"]!["t"]!, (int)r["final"]!["t"]!);
        Assert.Equal((double)run.Report["baseline"]!["test"]!, (double)r["baseline"]!["test"]!, 5);
        Assert.Equal((int)run.Report["safety"]!["total"]!, (int)r["safety"]!["total"]!);
    }

    [Fact]
    public async Task A_run_is_its_report_with_lineage_config_and_progress()
    {
        var r = (await run.GetJsonAsync($"/api/runs/{run.Id}")).AsObject();
        // The same report `ouro stop --json` printed, read back from the store.
        foreach (var key in new[] { "iterations", "lineage", "baseline", "verdict", "us", "config", "safety" })
            Assert.True(JsonNode.DeepEquals(run.Report[key], r[key]), key);
        Assert.NotNull(r["progress"]);
        Assert.NotNull(r["experimentTables"]);
        Assert.Equal($"ouro stop --config {run.Id}.config.json", (string)r["reproduce"]!);
        // Checked by `ouro replay`: the run reproduces.
        Assert.Equal("identical", (string)Assert.Single(r["replays"]!.AsArray())!["outcome"]!);
    }

    [Fact]
    public async Task An_experiment_s_own_report_section_comes_as_generic_tables()
    {
        var r = await run.GetJsonAsync($"/api/runs/{run.AuditId}");
        var table = Assert.Single(r["experimentTables"]!.AsArray())!;
        Assert.NotEmpty((string)table["title"]!);
        var columns = table["columns"]!.AsArray().Count;
        Assert.All(table["rows"]!.AsArray(), row => Assert.Equal(columns, row!.AsArray().Count));
        Assert.NotNull(r["audit"]); // and as JSON under its kind, as in `ouro report --json`
    }

    [Fact]
    public async Task A_rejected_candidate_has_its_source_parent_and_the_adoption_test_s_reason()
    {
        var rejected = run.Rejected;
        var hash = (string)rejected["improver"]!;
        var p = await run.GetJsonAsync($"/api/runs/{run.Id}/programs/{hash}");
        Assert.Equal("improver", (string)p["kind"]!);
        Assert.Contains("class", (string)p["source"]!);
        Assert.NotNull(p["parent"]);
        Assert.NotEqual((string)p["source"]!, (string)p["parentSource"]!);
        var iteration = Assert.Single(p["iterations"]!.AsArray())!;
        Assert.False((bool)iteration["adopted"]!);
        Assert.Equal((string)rejected["reason"]!, (string)iteration["reason"]!);
    }

    [Fact]
    public async Task Evaluations_carry_every_instance_and_filter_by_program()
    {
        var all = (await run.GetJsonAsync($"/api/runs/{run.Id}/evaluations")).AsArray();
        Assert.NotEmpty(all);
        var first = all[0]!;
        var instances = first["instances"]!.AsArray();
        Assert.Equal((int)first["count"]!, instances.Count);
        Assert.All(instances, i => { Assert.NotNull(i!["seed"]); Assert.NotNull(i["score"]); Assert.NotNull(i["status"]); Assert.NotNull(i["ms"]); });
        var program = (string)first["program"]!;
        var mine = (await run.GetJsonAsync($"/api/runs/{run.Id}/evaluations?program={program}")).AsArray();
        Assert.All(mine, e => Assert.Equal(program, (string)e!["program"]!));
        Assert.Equal(all.Count(e => (string)e!["program"]! == program), mine.Count);
    }

    [Fact]
    public async Task Events_name_their_program_and_the_ledger_sums_its_calls()
    {
        var events = (await run.GetJsonAsync($"/api/runs/{run.Id}/events")).AsArray();
        Assert.Equal((int)run.Report["safety"]!["total"]!, events.Count);
        Assert.All(events, e => Assert.Matches("^[0-9a-f]{64}$", (string)e!["program"]!));
        var ledger = await run.GetJsonAsync($"/api/runs/{run.Id}/ledger");
        var calls = ledger["calls"]!.AsArray();
        Assert.Equal((long)run.Report["modelUsage"]!["calls"]!, (long)ledger["summary"]!["calls"]!);
        Assert.Equal(calls.Count, (long)ledger["summary"]!["calls"]!);
        var p50 = (double)ledger["summary"]!["latencyMs"]!["p50"]!;
        Assert.InRange(p50, 0, (double)ledger["summary"]!["latencyMs"]!["max"]!);
    }

    [Fact]
    public async Task The_downloaded_config_reproduces_the_run()
    {
        using var response = await run.Dashboard.Http.GetAsync($"/api/runs/{run.Id}/config?download=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{run.Id}.config.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var file = Path.Combine(run.Directory, "downloaded.config.json");
        await File.WriteAllTextAsync(file, await response.Content.ReadAsStringAsync());

        // The file as a user would use it: a new run from it alone scores the same iterations (the offline model is seeded).
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("stop", "--db", Path.Combine(run.Directory, "again.db"), "--config", file, "--json");
        Assert.True(exit == 0, stderr);
        var again = JsonNode.Parse(OuroProcess.LastLine(stdout))!;
        Assert.True(JsonNode.DeepEquals(run.Report["config"], again["config"]));
        string Scores(JsonNode report) => string.Join(";", report["iterations"]!.AsArray().Select(i => $"{i!["t"]} {i["val"]} {i["test"]} {i["adopted"]}"));
        Assert.Equal(Scores(run.Report), Scores(again));
    }

    [Theory]
    [InlineData("/api/runs/no-such-run")]
    [InlineData("/api/runs/no-such-run/events")]
    [InlineData("/api/runs/no-such-run/config")]
    [InlineData("/api/nothing-here")]
    public async Task Unknown_things_are_404_with_a_json_error(string path)
    {
        using var response = await run.Dashboard.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.False(string.IsNullOrEmpty((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]));
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    public async Task Only_requests_addressed_to_this_machine_are_answered(string host, HttpStatusCode expected)
    {
        // DNS rebinding: a page whose host name now points at 127.0.0.1 sends its own name as Host.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Host = $"{host}:{run.Dashboard.Root.Port}";
        using var response = await run.Dashboard.Http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_program_of_a_known_run_is_404()
    {
        using var response = await run.Dashboard.Http.GetAsync($"/api/runs/{run.Id}/programs/{new string('0', 64)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
