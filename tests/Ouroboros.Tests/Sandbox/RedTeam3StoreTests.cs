using Ouroboros.Tests.Stop;
using Ouroboros.Models;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;
using Ouroboros.Tests.Models;
using Ouroboros.Tests.Tasks;

namespace Ouroboros.Tests.Sandbox;

/// <summary>
/// Third red-team round, the run store as an amplifier (issue 8, class 5): a solution printing
/// 65,536 control characters per instance, stored JSON-escaped at six bytes each, made one improver
/// run write ~230 MB of SQLite. Each test scores hostile solutions through a STOP run's sandbox, as
/// an improver's utility calls do, into a real store file, and measures the file.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RedTeam3StoreTests(SandboxFixture fixture) : IDisposable
{
    private const string Signature = "int[] Algorithm(int[][] trainSamples, int[] trainParity, int[][] testSamples)";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ouro-store-");

    private string Db => Path.Combine(_dir.FullName, "runs.db");

    private StopRun Run(RunStore store, StoreLimits? limits = null)
    {
        var records = (limits is null ? store : store.WithLimits(limits));
        records.Journal.CreateRun("r", "stop", new JsonObject());
        return TestRuns.Stop(records, fixture.Pool, ScriptedChatClient.Fenced(), NoiselessParity.Create(), new StopOptions());
    }

    /// <summary>The store's size on disk, its write-ahead log included, after a checkpoint.</summary>
    private long StoreBytes(RunStore store)
    {
        store.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        return new FileInfo(Db).Length + (File.Exists(Db + "-wal") ? new FileInfo(Db + "-wal").Length : 0);
    }

    private static List<string> StoredSteps(RunStore store) => store.Read(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT value FROM steps;";
        using var r = cmd.ExecuteReader();
        var values = new List<string>();
        while (r.Read()) values.Add(r.GetString(0));
        return values;
    });

    [Fact]
    public async Task Control_characters_printed_per_instance_are_stored_truncated_in_bytes_and_say_so()
    {
        var flood = TaskTesting.Solution(Signature,
            "for (int i = 0; i < 60; i++) Console.Write(new string((char)1, 1000)); return testSamples.Select(s => 0).ToArray();");
        using var store = RunStore.Open(Db);
        var run = Run(store);
        var utility = new UtilityCapability(run.Tasks[0], run.Run.Sandbox, baseline: 0.5);
        var call = new Ouroboros.Sandbox.CapabilityCall(new string('a', 64), 1);
        for (int i = 0; i < 5; i++)
            await utility.InvokeAsync("Evaluate", new JsonArray(flood + $"// {i}"), call, CancellationToken.None);

        // Before: 5 calls × 20 instances × 360 KB escaped ≈ 36 MB. Now each instance keeps 4 KiB.
        long bytes = StoreBytes(store);
        Assert.True(bytes < 3_000_000, $"the store holds {bytes:N0} bytes");
        var steps = StoredSteps(store);
        Assert.NotEmpty(steps);
        var stdout = (string)JsonNode.Parse(steps[^1])!["Invocations"]![0]!["Stdout"]!;
        Assert.InRange(StoredText.Bytes(stdout), 1, StoreLimits.Default.InvocationTextBytes);
        Assert.Matches(@"… \[truncated: \d+ bytes\]$", stdout);
    }

    [Fact]
    public async Task Past_the_run_s_output_budget_only_statuses_and_scores_are_kept_and_the_text_says_so()
    {
        var chatty = TaskTesting.Solution(Signature, "Console.Write(new string('x', 3000)); return testSamples.Select(s => 0).ToArray();");
        using var store = RunStore.Open(Db);
        var run = Run(store, new StoreLimits { RunTextBytes = 100_000 });
        for (int i = 0; i < 3; i++) await run.EvaluateAsync(run.Tasks[0], chatty + $"// {i}", Split.ValidationName, null, CancellationToken.None);

        var last = JsonNode.Parse(StoredSteps(store)[^1])!["Invocations"]!.AsArray();
        Assert.StartsWith("[not stored: 3000 bytes; this run has kept its budget", (string)last[^1]!["Stdout"]!);
        Assert.Equal(3, run.Run.Store.Evaluations.EvaluationCount("r")); // scores and statuses: all of them
    }

    [Fact]
    public async Task A_sandbox_run_too_large_to_remember_is_not_stored_and_the_run_says_so()
    {
        // 30,000 zeros per instance: within the sandbox's 64 K result cap, 1.2 MB over 20 instances.
        var huge = TaskTesting.Solution(Signature, "return new int[30000];");
        using var store = RunStore.Open(Db);
        var run = Run(store);
        var result = await run.EvaluateAsync(run.Tasks[0], huge, Split.ValidationName, null, CancellationToken.None);

        Assert.All(result.Instances, i => Assert.Equal(InstanceStatus.InvalidOutput, i.Status));
        var steps = StoredSteps(store);
        var spent = JsonNode.Parse(Assert.Single(steps))!;
        Assert.Contains("not remembered", (string)spent["why"]!);
        Assert.NotNull(run.Run.Store.Journal.GetStep("r", RunRecords.StepsBudgetSpent));
        Assert.Equal(1, run.Run.Store.Evaluations.EvaluationCount("r"));
        Assert.True(StoreBytes(store) < 500_000, $"the store holds {StoreBytes(store):N0} bytes");
    }

    [Fact]
    public void Stored_text_is_measured_as_escaped_bytes_and_cut_whole()
    {
        var control = new string('\u0001', 10_000); // 60,000 bytes as stored
        var bounded = StoredText.Bound(control, 4096);
        Assert.True(StoredText.Bytes(bounded) <= 4096);
        Assert.EndsWith($"[truncated: {60_000 - StoredText.Bytes(bounded[..bounded.IndexOf('…')])} bytes]", bounded);
        Assert.Equal("short", StoredText.Bound("short", 4096));
        var emoji = string.Concat(Enumerable.Repeat("😀", 5000));
        Assert.False(char.IsHighSurrogate(StoredText.Bound(emoji, 1000).Split('…')[0][^1]));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }
}
