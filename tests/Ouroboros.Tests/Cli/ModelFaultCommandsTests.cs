using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Ouroboros.Models;
using Ouroboros.Tests.Models;
using Ouroboros.Tests.Stop;

namespace Ouroboros.Tests.Cli;

/// <summary>
/// A model that is not there, as a user meets it through <c>ouro stop</c>: before the run, a one-line
/// error and exit 2; during it, the run stops as <c>failed</c> with the reason (exit 4) and resumes
/// once the model is back.
/// </summary>
public sealed class ModelFaultCommandsTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ouro-faults-").FullName;
    private string Db => Path.Combine(_scratch, "runs.db");
    private volatile bool _down = true;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_scratch, recursive: true);
    }

    private static Task NotFound(HttpContext context) =>
        StubServer.Json(context, OpenAIWire.Error("The model `offline` does not exist.", "NotFoundError").ToJsonString(), 404);

    [Fact]
    public async Task A_base_URL_answering_404_is_a_one_line_error_before_any_run_starts()
    {
        await using var stub = await StubServer.StartAsync((_, _, context) => NotFound(context));
        var clock = Stopwatch.StartNew();

        var (exit, stdout, stderr) = await OuroProcess.RunAsync("stop", "--db", Db, "--model", $"openai:{stub.BaseUrl}#x");

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith($"ouro: no model 'x' answers at {stub.BaseUrl}/chat/completions", line);
        Assert.Contains("HTTP 404", line);
        Assert.Equal("", stdout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"{clock.Elapsed}");
        await AssertNoRuns();
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_one_line_error_within_seconds()
    {
        await using var stub = await StubServer.StartAsync((_, _, context) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        var clock = Stopwatch.StartNew();

        var (exit, _, stderr) = await OuroProcess.RunAsync("stop", "--db", Db, "--model", $"openai:{stub.BaseUrl}#x");

        Assert.Equal(2, exit);
        Assert.Equal($"ouro: the model at {stub.BaseUrl} did not answer within 10 s; is the server running and serving? " +
            "start it, or try 'ouro serve-model --model offline --port 8000' to test", Assert.Single(stderr.Trim().Split('\n')));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"{clock.Elapsed}");
        await AssertNoRuns();
    }

    [Fact]
    public async Task A_hosted_model_with_a_fake_key_and_no_network_is_a_one_line_error_not_minutes_of_retries()
    {
        // Without a network: the connection fails. With one: OpenAI refuses the key. Exit 2 either way, at once.
        var clock = Stopwatch.StartNew();
        var (exit, _, stderr) = await OuroProcess.RunWithAsync(new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-fake-key-for-a-test" },
            "stop", "--db", Db, "--model", "openai:gpt-4o");

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.True(line.Contains("cannot reach the model at api.openai.com") || line.Contains("refused the key in OPENAI_API_KEY"), line);
        Assert.DoesNotContain("sk-fake-key-for-a-test", line);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"{clock.Elapsed}");
        await AssertNoRuns();
    }

    [Fact]
    public async Task Faults_from_mid_run_stop_it_as_failed_and_a_resume_ends_where_an_unfaulted_run_did()
    {
        // Two model servers, so neither run sees the other's requests as repeats; one of them behind
        // a proxy that, after three completions, answers 404 to everything until the test brings it back.
        await using var healthy = await ModelServer.StartAsync(new OfflineMutationModel(), "offline", 0);
        await using var behind = await ModelServer.StartAsync(new OfflineMutationModel(), "offline", 0);
        using var forward = new HttpClient();
        int completions = 0;
        await using var flaky = await StubServer.StartAsync(async (_, body, context) =>
        {
            // Once failing, everything fails: /models too, as when a gateway loses its route.
            bool completion = context.Request.Path.Value!.EndsWith("/chat/completions");
            int served = completion ? Interlocked.Increment(ref completions) : Volatile.Read(ref completions);
            if (served > 3 && _down) await NotFound(context);
            else await Forward(forward, behind.BaseUrl, body, context);
        });

        var reference = OuroProcess.RunAsync([.. new[] { "stop", "--db", Path.Combine(_scratch, "reference.db"), "--json", "--model", $"openai:{healthy.BaseUrl}#offline" }, .. FinishedStopRun.Small]);
        var (exit, _, stderr) = await OuroProcess.RunAsync([.. new[] { "stop", "--db", Db, "--model", $"openai:{flaky.BaseUrl}#offline", "--max-consecutive-model-faults", "2" }, .. FinishedStopRun.Small]);

        Assert.True(exit == 4, stderr);
        var runId = stderr.Split('\n')[0].Split(' ')[2].TrimEnd(':');
        Assert.Equal($"ouro: run {runId} failed: the model failed 2 calls in a row, the last with rejected: HTTP 404 from openai:{flaky.BaseUrl}#offline: " +
            $"The model `offline` does not exist.; once the model answers again, continue it with: ouro stop --resume {runId}", OuroProcess.LastLine(stderr));
        var run = await StoredRun(runId);
        Assert.Equal("failed", (string)run["status"]!);
        Assert.Contains("HTTP 404", (string)run["error"]!);

        // Still down: the resume is refused before it starts, and the run stays as it was.
        (exit, _, stderr) = await OuroProcess.RunAsync("stop", "--db", Db, "--resume", runId);
        Assert.Equal(2, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("failed", (string)(await StoredRun(runId))["status"]!);

        _down = false;
        (exit, var stdout, stderr) = await OuroProcess.RunAsync("stop", "--db", Db, "--resume", runId, "--json");
        Assert.True(exit == 0, stderr);
        var resumed = JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsObject();
        Assert.Equal("finished", (string)resumed["status"]!);
        Assert.Null((await StoredRun(runId))["error"]);

        var (referenceExit, referenceOut, referenceErr) = await reference;
        Assert.True(referenceExit == 0, referenceErr);
        Assert.Equal(Scores(JsonNode.Parse(OuroProcess.LastLine(referenceOut))!.AsObject()), Scores(resumed));
    }

    /// <summary>Passes a request on to <paramref name="target"/> (a base URL ending in <c>/v1</c>) and its answer back.</summary>
    private static async Task Forward(HttpClient http, Uri target, string body, HttpContext context)
    {
        var path = context.Request.Path.Value!;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target + path[path.IndexOf("/v1", StringComparison.Ordinal)..][3..]);
        if (body.Length > 0) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        await StubServer.Json(context, await response.Content.ReadAsStringAsync(), (int)response.StatusCode);
    }

    private async Task<JsonObject> StoredRun(string runId)
    {
        var (exit, stdout, stderr) = await OuroProcess.RunAsync("runs", "--db", Db, "--json");
        Assert.True(exit == 0, stderr);
        return JsonNode.Parse(OuroProcess.LastLine(stdout))!.AsArray().Single(r => (string)r!["id"]! == runId)!.AsObject();
    }

    private async Task AssertNoRuns()
    {
        if (!File.Exists(Db)) return;
        var (_, stdout, _) = await OuroProcess.RunAsync("runs", "--db", Db, "--json");
        Assert.Equal("[]", OuroProcess.LastLine(stdout));
    }

    private static string Scores(JsonObject report) =>
        string.Join(";", report["iterations"]!.AsArray().Select(i => $"{i!["t"]}:{i["val"]}:{i["test"]}:{i["adopted"]}")) + "|" + report["baseline"]?.ToJsonString();
}
