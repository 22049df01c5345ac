using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Tests.Store;

/// <summary>
/// What every run store promises, run against each kind (<see cref="StoreUnderTest.Kinds"/>): SQLite,
/// and PostgreSQL on a throwaway server. Two stores on one data stand for two processes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreContractTests(PostgresServer server)
{
    private static readonly LeaseHolder A = new("host-a", 101, "token-a"), B = new("host-b", 202, "token-b");
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly string H1 = new('a', 64), H2 = new('b', 64), H3 = new('c', 64);

    public static TheoryData<string> Kinds => StoreUnderTest.Kinds();

    private StoreUnderTest Open(string kind, StoreLimits? limits = null) => new(kind, server, limits);

    [Theory, MemberData(nameof(Kinds))]
    public void The_journal_keeps_runs_their_status_and_result_newest_first(string kind)
    {
        using var s = Open(kind);
        s.One.Journal.CreateRun("r1", "stop", new JsonObject { ["seed"] = 1 });
        Thread.Sleep(5);
        s.One.Journal.CreateRun("r2", "audit", new JsonObject());
        s.One.Journal.SetStatus("r1", RunStates.Interrupted);
        Assert.Equal(RunStates.Interrupted, s.Two.Journal.GetRun("r1")!.Status);
        s.One.Journal.FinishRun("r1", new JsonObject { ["best"] = 0.5 });
        s.Two.Journal.FailRun("r2", "the model stopped answering");
        var r1 = s.Two.Journal.GetRun("r1")!;
        Assert.Equal((RunStates.Finished, 0.5, 1), (r1.Status, r1.Result!["best"]!.GetValue<double>(), r1.Config["seed"]!.GetValue<int>()));
        Assert.NotNull(r1.FinishedAt);
        Assert.Equal("the model stopped answering", RunFailures.Reason(s.One.Journal.GetRun("r2")!));
        Assert.Equal(["r2", "r1"], s.One.Journal.Runs().Select(r => r.Id));
        Assert.Null(s.One.Journal.GetRun("nope"));
        Assert.ThrowsAny<Exception>(() => s.Two.Journal.CreateRun("r1", "stop", new JsonObject()));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Steps_are_replaced_and_kept_within_the_byte_limits(string kind)
    {
        using var s = Open(kind, new StoreLimits { StepBytes = 100, RunStepBytes = 150 });
        s.One.Journal.CreateRun("r", "stop", new JsonObject());
        Assert.True(s.One.Journal.PutStep("r", "a", new JsonObject { ["v"] = 1 }));
        Assert.True(s.One.Journal.PutStep("r", "a", new JsonObject { ["v"] = 2 }));
        Assert.Equal(2, s.Two.Journal.GetStep("r", "a")!["v"]!.GetValue<int>());
        Assert.False(s.One.Journal.PutStep("r", "big", new JsonObject { ["v"] = new string('x', 200) }));
        Assert.Null(s.Two.Journal.GetStep("r", "big"));
        Assert.Equal("big", s.Two.Journal.GetStep("r", RunRecords.StepsBudgetSpent)!["step"]!.GetValue<string>());
        Assert.True(s.One.Journal.PutStep("r", "b", new JsonObject { ["v"] = new string('y', 80) }));
        Assert.False(s.One.Journal.PutStep("r", "c", new JsonObject { ["v"] = new string('z', 80) })); // past the run's 150 bytes
        Assert.Equal("big", s.Two.Journal.GetStep("r", RunRecords.StepsBudgetSpent)!["step"]!.GetValue<string>()); // the first says so, once
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_program_is_stored_once_with_its_first_parent_and_found_by_prefix(string kind)
    {
        using var s = Open(kind);
        s.One.Journal.CreateRun("r", "stop", new JsonObject());
        s.One.Programs.PutProgram(H1, RunProgram.Improver, "seed", null, "r");
        s.One.Programs.PutProgram(H2, RunProgram.Improver, "child", H1, "r");
        s.Two.Programs.PutProgram(H2, RunProgram.Improver, "child", H3, "other");
        Assert.Equal(H1, s.Two.Programs.ProgramParent(H2));
        Assert.Equal("child", s.Two.Programs.ProgramSource(H2));
        Assert.Null(s.Two.Programs.ProgramSource(H3));
        Assert.Equal([H1], s.Two.Programs.ProgramsStartingWith("aaa"));
        Assert.Equal(2, s.Two.Programs.ProgramsStartingWith("").Count);
        Assert.Empty(s.Two.Programs.ProgramsStartingWith("a%"));
        var (count, first) = s.Two.Programs.ProgramsMatching("", 1);
        Assert.Equal((2, H1, RunProgram.Improver), (count, first.Single().Hash, first.Single().Kind));

        s.One.Programs.PutProgram(H3, RunProgram.Solution, "sol", null, "other");
        s.One.Evaluations.PutEvaluation(Evaluation("r", H3, "val", 0.25));
        s.One.Evaluations.PutEvaluation(Evaluation("r", H3, "test", 0.5));
        var programs = s.Two.Programs.ProgramsOf("r");
        Assert.Equal([H1, H2, H3], programs.Select(p => p.Hash).Order());
        var sol = programs.Single(p => p.Hash == H3);
        Assert.Equal((0.25, 0.5, "other"), (sol.Val, sol.Test, sol.StoredBy));
        Assert.NotNull(sol.FirstEvaluated);
        Assert.DoesNotContain(s.Two.Programs.ProgramsOf("other", []), p => p.Hash == H1);
        Assert.Contains(s.Two.Programs.ProgramsOf("nobody", [H1]), p => p.Hash == H1);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void An_evaluation_is_stored_once_and_found_by_its_key(string kind)
    {
        using var s = Open(kind);
        s.One.Journal.CreateRun("r", "stop", new JsonObject());
        s.One.Evaluations.PutEvaluation(Evaluation("r", H1, "val", 0.75));
        s.Two.Evaluations.PutEvaluation(Evaluation("r", H1, "val", 0.1));
        var found = s.Two.Evaluations.FindEvaluation("r", H1, "maxcut", "val", "1+2")!;
        Assert.Equal((0.75, 12.5, 2), (found.Utility, found.RunMs, found.Instances.Count));
        Assert.Equal(1, found.Statuses["ok"]!.GetValue<int>());
        Assert.Null(s.Two.Evaluations.FindEvaluation("r", H1, "maxcut", "test", "1+2"));
        Assert.Equal(1, s.One.Evaluations.EvaluationCount("r"));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_heartbeat_keeps_what_the_run_is_doing_for_other_readers(string kind)
    {
        using var s = Open(kind);
        s.One.Journal.CreateRun("r", "stop", new JsonObject());
        var holder = new LeaseHolder("h", 1, "t");
        Assert.True(s.One.Leases.TryTake("r", holder, TimeSpan.FromMinutes(1), null, out _));
        Assert.Null(s.Two.Leases.Get("r")!.Progress);
        Assert.True(s.One.Leases.Renew("r", holder, TimeSpan.FromMinutes(1), "iteration 2/3 · baseline"));
        Assert.Equal("iteration 2/3 · baseline", s.Two.Leases.Get("r")!.Progress);
        Assert.True(s.One.Leases.Renew("r", holder, TimeSpan.FromMinutes(1)));   // a renewal that says nothing keeps the last word
        Assert.Equal("iteration 2/3 · baseline", s.Two.Leases.All().Single().Progress);
        Assert.False(s.Two.Leases.Renew("r", new LeaseHolder("h", 2, "other"), TimeSpan.FromMinutes(1), "not mine"));
        Assert.Equal("iteration 2/3 · baseline", s.One.Leases.Get("r")!.Progress);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_run_s_evaluations_are_listed_in_the_order_stored_and_by_program(string kind)
    {
        using var s = Open(kind);
        foreach (var id in new[] { "a", "b" }) s.One.Journal.CreateRun(id, "stop", new JsonObject());
        s.One.Evaluations.PutEvaluation(Evaluation("a", H2, "val", 0.1));
        s.Two.Evaluations.PutEvaluation(Evaluation("b", H2, "val", 0.9));
        s.Two.Evaluations.PutEvaluation(Evaluation("a", H1, "val", 0.2));
        s.One.Evaluations.PutEvaluation(Evaluation("a", H2, "test", 0.3));
        Assert.Equal([0.1, 0.2, 0.3], s.Two.Evaluations.EvaluationsOf("a").Select(e => e.Utility));
        Assert.Equal(["val", "test"], s.One.Evaluations.EvaluationsOf("a", H2).Select(e => e.Split));
        Assert.Equal(2, s.One.Evaluations.EvaluationsOf("a")[1].Instances.Count);
        Assert.Empty(s.One.Evaluations.EvaluationsOf("nobody"));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Safety_events_are_kept_once_in_order_and_counted(string kind)
    {
        using var s = Open(kind);
        s.One.Journal.CreateRun("r", "stop", new JsonObject());
        s.One.Journal.AddEvents("r", [new SafetyEvent("policy", H1, "File.Open"), new SafetyEvent("timeout", H2, "5 s")]);
        s.Two.Journal.AddEvents("r", [new SafetyEvent("policy", H1, "File.Open"), new SafetyEvent("policy", H2, "Process.Start")]);
        Assert.Equal(["policy:File.Open", "timeout:5 s", "policy:Process.Start"], s.One.Journal.Events("r").Select(e => $"{e.Kind}:{e.Detail}"));
        Assert.Equal(new Dictionary<string, int> { ["policy"] = 2, ["timeout"] = 1 }, s.Two.Journal.EventCounts("r"));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void The_ledger_is_per_run_in_order_with_totals_by_level(string kind)
    {
        using var s = Open(kind);
        s.One.Ledger("r").Add(Call(0, "ok", 10, 0.01));
        s.Two.Ledger("r").Add(Call(1, "timeout", null, null));
        s.One.Ledger("r").Add(Call(1, "replayed", 99, 9));
        s.One.Ledger("other").Add(Call(0, "ok", 5, 0));
        var all = s.Two.Ledger("r").All();
        Assert.Equal(["ok", "timeout", "replayed"], all.Select(c => c.Outcome));
        Assert.Equal(("pos-0", (long?)10, 0.01), (all[0].Position, all[0].TokensIn, all[0].CostUsd));
        Assert.Null(all[1].TokensIn);
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1, ["timeout"] = 1, ["replayed"] = 1 }, s.One.Ledger("r").OutcomeCounts());
        Assert.Equal(new ModelCallTotals(2, 1, 10, 20, 0.01), s.One.Ledger("r").Totals());
        Assert.Equal(new ModelCallTotals(1, 0, 0, 0, 0), s.One.Ledger("r").Totals(1));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_recording_keeps_the_latest_per_request_and_sample_within_its_run(string kind)
    {
        using var s = Open(kind);
        s.One.Recording("r").Put("req", 0, "m", "first");
        s.Two.Recording("r").Put("req", 0, "m", "second");
        s.One.Recording("r").Put("req", 1, "m", "other sample");
        Assert.Equal("second", s.One.Recording("r").Get("req", 0));
        Assert.Equal("other sample", s.Two.Recording("r").Get("req", 1));
        Assert.Null(s.Two.Recording("another run").Get("req", 0));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_family_table_is_created_on_first_write_and_a_newer_family_is_refused(string kind)
    {
        using var s = Open(kind);
        s.One.Journal.CreateRun("s", "stop", new JsonObject());
        Assert.Empty(new IterationTable(s.One).Iterations("s"));
        new IterationTable(s.One).PutIteration(new IterationRow("s", 0, H1, 0.5, 0.25, [0.5], [0.25], true, "seed"));
        new IterationTable(s.Two).PutIteration(new IterationRow("s", 0, H1, 0.5, 0.75, [0.5], [0.75], true, "seed again"));
        new IterationTable(s.Two).PutIteration(new IterationRow("s", 1, H2, 0.6, 0.8, [0.6], [0.8], false, "worse"));
        var rows = new IterationTable(s.One).Iterations("s");
        Assert.Equal([(0, 0.75, true), (1, 0.8, false)], rows.Select(r => (r.T, r.Test, r.Adopted)));

        var notes = new StoreModule("notes", ["notes"], [new ModuleMigration("CREATE TABLE notes (run_id TEXT NOT NULL, n INTEGER NOT NULL);")]);
        var newer = notes with { Migrations = [.. notes.Migrations, new ModuleMigration("ALTER TABLE notes ADD COLUMN stars INTEGER NOT NULL DEFAULT 0;")] };
        s.One.Tables(newer).Execute("INSERT INTO notes (run_id, n, stars) VALUES (@r, @n, 5);", ("@r", "s"), ("@n", 1));
        var e = Assert.Throws<RunStoreException>(() => s.Opened(null).Tables(notes).Query("SELECT n FROM notes;", r => r.GetInt32(0)));
        Assert.Contains("notes tables of schema version 2, newer than this Ouroboros understands (1); upgrade ouro", e.Message);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Leases_are_taken_refused_renewed_released_and_replaced_by_name(string kind)
    {
        using var s = Open(kind);
        s.One.Journal.CreateRun("r", "stop", new JsonObject());
        Assert.Null(s.Two.Leases.Get("r"));
        Assert.True(s.One.Leases.TryTake("r", A, Minute, null, out var standing));
        Assert.Null(standing);
        var lease = s.Two.Leases.Get("r")!;
        Assert.Equal(A, lease.Holder);
        Assert.InRange(lease.Until - lease.RenewedAt, Minute - TimeSpan.FromMilliseconds(1), Minute + TimeSpan.FromMilliseconds(1));
        Assert.Equal(["r"], s.Two.Leases.All().Select(l => l.RunId));
        Assert.False(s.Two.Leases.TryTake("r", B, Minute, null, out standing));
        Assert.Equal(A, standing!.Holder);
        Assert.True(s.One.Leases.TryTake("r", A, Minute, null, out _)); // its holder may take it again
        Assert.True(s.One.Leases.Renew("r", A, Minute));
        var c = new LeaseHolder("host-c", 303, "token-c");
        Assert.False(s.Two.Leases.TryTake("r", c, Minute, replacing: B, out _)); // not the holder: refused
        Assert.True(s.Two.Leases.TryTake("r", B, Minute, replacing: A, out _));
        Assert.False(s.One.Leases.TryTake("r", c, Minute, replacing: A, out _)); // a second taker who saw A gone loses
        Assert.False(s.One.Leases.Renew("r", A, Minute));
        s.One.Leases.Release("r", A); // a release by a former holder does nothing
        Assert.Equal(B, s.One.Leases.Get("r")!.Holder);
        s.Two.Leases.Release("r", B);
        Assert.Null(s.One.Leases.Get("r"));
        Assert.Empty(s.One.Leases.All());
        Assert.False(s.One.Leases.TryTake("no-such-run", A, Minute, null, out standing));
        Assert.Null(standing);
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task An_expired_lease_is_taken_and_of_many_takers_at_once_exactly_one_wins(string kind)
    {
        using var s = Open(kind);
        s.One.Journal.CreateRun("r", "stop", new JsonObject());
        Assert.True(s.One.Leases.TryTake("r", A, TimeSpan.FromMilliseconds(50), null, out _));
        await Task.Delay(150);
        Assert.True(s.Two.Leases.TryTake("r", B, Minute, null, out _));
        Assert.False(s.One.Leases.Renew("r", A, Minute));

        s.One.Journal.CreateRun("race", "stop", new JsonObject());
        var won = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8)
            .Count(i => (i % 2 == 0 ? s.One : s.Two).Leases.TryTake("race", new LeaseHolder("h", i, $"t{i}"), Minute, null, out _));
        Assert.Equal(1, won);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Two_writers_at_once_lose_and_double_no_row(string kind)
    {
        using var s = Open(kind);
        s.One.Journal.CreateRun("r", "stop", new JsonObject());
        // Each writer records the same 40 evaluations, events and programs, and its own 40 ledger rows and steps.
        Parallel.For(0, 2, w =>
        {
            var store = w == 0 ? s.One : s.Two;
            for (int i = 0; i < 40; i++)
            {
                var hash = i.ToString("x64");
                store.Programs.PutProgram(hash, RunProgram.Solution, $"p{i}", null, "r");
                store.Evaluations.PutEvaluation(Evaluation("r", hash, "val", i));
                store.Journal.AddEvents("r", [new SafetyEvent("policy", hash, "same")]);
                store.Ledger("r").Add(Call(w, "ok", 1, 0));
                store.Journal.PutStep("r", $"w{w}:{i}", new JsonObject { ["i"] = i });
            }
        });
        Assert.Equal(40, s.One.Evaluations.EvaluationCount("r"));
        Assert.Equal(40, s.Two.Journal.Events("r").Count);
        Assert.Equal(40, s.Two.Programs.ProgramsOf("r").Count);
        Assert.Equal(80, s.One.Ledger("r").All().Count);
        Assert.All(Enumerable.Range(0, 40), i => Assert.NotNull(s.Two.Journal.GetStep("r", $"w1:{i}")));
    }

    internal static EvaluationRow Evaluation(string run, string hash, string split, double utility) => new(run, hash, "maxcut", split, "1+2", utility,
        [new JsonObject { ["seed"] = 1, ["score"] = utility }, new JsonObject { ["seed"] = 2, ["score"] = utility }], new JsonObject { ["ok"] = 1 }, 12.5);

    private static ModelCallRecord Call(int level, string outcome, long? tokens, double? cost) =>
        new(DateTimeOffset.UtcNow, "offline", "req", 1, level, H1, tokens, tokens * 2, 3.5, cost, outcome, null, $"pos-{level}");
}
