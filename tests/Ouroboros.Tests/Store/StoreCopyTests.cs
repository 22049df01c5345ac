using System.Globalization;
using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Tests.Store;

/// <summary>
/// <see cref="StoreCopy"/>: a run moved SQLite → PostgreSQL → SQLite comes back row for row (no hash,
/// score or time changed), copying again changes nothing, and a different run of the same id is refused.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreCopyTests(PostgresServer server)
{
    private static readonly string Seed = new('1', 64), Child = new('2', 64), Solution = new('3', 64), Elder = new('0', 64);
    private static readonly string[] Tables = ["runs", "programs", "steps", "safety_events", "evaluations", "model_calls", "model_responses", "iterations"];

    public static TheoryData<string> Kinds => StoreUnderTest.Kinds();

    [Theory, MemberData(nameof(Kinds))]
    public void A_round_trip_through_the_other_store_reproduces_every_row_and_a_second_copy_changes_nothing(string kind)
    {
        using var origin = new StoreUnderTest(StoreUnderTest.Sqlite, server);
        using var middle = new StoreUnderTest(kind, server);
        using var back = new StoreUnderTest(StoreUnderTest.Sqlite, server);
        Record(origin.One, "stop-1");

        var first = StoreCopy.Copy(origin.One, middle.One, ["stop-1"], [IterationTable.Module]);
        Assert.True(Assert.Single(first).RowsWritten > 0);
        Assert.Equal(4, first[0].Programs); // its own three and the elder its seed came from
        StoreCopy.Copy(middle.One, back.One, ["stop-1"], [IterationTable.Module]);

        Assert.Equal(Rows(origin.One, "stop-1"), Rows(middle.One, "stop-1"));
        Assert.Equal(Rows(origin.One, "stop-1"), Rows(back.One, "stop-1"));
        Assert.Equal(0.75, new IterationTable(middle.Two).Iterations("stop-1")[1].Test);

        Assert.Equal(0, Assert.Single(StoreCopy.Copy(origin.One, middle.One, ["stop-1"], [IterationTable.Module])).RowsWritten);
        Assert.Equal(Rows(origin.One, "stop-1"), Rows(middle.One, "stop-1"));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_different_run_of_the_same_id_is_refused_and_nothing_is_written(string kind)
    {
        using var origin = new StoreUnderTest(StoreUnderTest.Sqlite, server);
        using var target = new StoreUnderTest(kind, server);
        Record(origin.One, "stop-1");
        target.One.Journal.CreateRun("stop-1", "stop", new JsonObject { ["seed"] = 99 });
        var e = Assert.Throws<RunStoreException>(() => StoreCopy.Copy(origin.One, target.One, null, [IterationTable.Module]));
        Assert.Contains("holds a different run with the id stop-1", e.Message);
        Assert.Null(target.Two.Programs.ProgramSource(Seed));
        Assert.Equal(0, target.Two.Evaluations.EvaluationCount("stop-1"));
        Assert.Null(target.Two.Journal.GetRun("older")); // checked before anything was written
    }

    /// <summary>A small STOP run's records, every table touched: a lineage reaching into another run's program.</summary>
    private static void Record(IRunStore s, string run)
    {
        s.Journal.CreateRun("older", "stop", new JsonObject());
        s.Programs.PutProgram(Elder, RunProgram.Improver, "elder", null, "older");
        s.Journal.CreateRun(run, "stop", new JsonObject { ["seed"] = 7, ["tasks"] = new JsonArray("maxcut") });
        s.Programs.PutProgram(Seed, RunProgram.Improver, "seed ü", Elder, run);
        s.Programs.PutProgram(Child, RunProgram.Improver, "child", Seed, run);
        s.Programs.PutProgram(Solution, RunProgram.Solution, "solution", null, run);
        s.Evaluations.PutEvaluation(StoreContractTests.Evaluation(run, Solution, "val", 0.1 + 0.2));
        s.Evaluations.PutEvaluation(StoreContractTests.Evaluation(run, Solution, "test", 1.0 / 3));
        s.Journal.AddEvents(run, [new SafetyEvent("policy", Child, "File.Open\u0001")]);
        s.Journal.PutStep(run, "improver-run:x:0", new JsonObject { ["out"] = "ok" });
        s.Ledger(run).Add(new ModelCallRecord(DateTimeOffset.UtcNow, "offline", "req", 2, 1, Seed, 100, 200, 12.25, 0.001, "ok", null, "t1/0"));
        s.Ledger(run).Add(new ModelCallRecord(DateTimeOffset.UtcNow, "offline", "req2", 1, 1, Seed, null, null, 3, null, "timeout", "slow", null));
        s.Recording(run).Put("req", 0, "offline", "completion 0");
        s.Recording(run).Put("req", 1, "offline", "completion 1");
        new IterationTable(s).PutIteration(new IterationRow(run, 0, Seed, 0.5, 0.25, [0.5], [0.25], true, "seed"));
        new IterationTable(s).PutIteration(new IterationRow(run, 1, Child, 0.6, 0.75, [0.6, 0.6], [0.75, 0.75], true, "better"));
        s.Journal.FinishRun(run, new JsonObject { ["final"] = Child });
    }

    /// <summary>Every row of the run in every table, as invariant text, table by table.</summary>
    private static List<string> Rows(IRunStore store, string run)
    {
        var rows = store switch { RunStore s => s.Rows, Ouroboros.Store.Postgres.PostgresRunStore p => (IRunRows)p.Rows, _ => throw new InvalidOperationException() };
        var all = new List<string>();
        foreach (var table in Tables)
        {
            var t = table switch
            {
                "runs" => rows.Read(table, "id = @run", ("@run", run)),
                "programs" => rows.Read(table, "1 = 1"),
                _ => rows.Read(table, "run_id = @run", ("@run", run)),
            };
            var ordered = t.Rows.Select(r => string.Join(" | ", t.Columns.Select((c, i) => $"{c}={Convert.ToString(r[i], CultureInfo.InvariantCulture)}")));
            all.AddRange((table == "programs" ? ordered.Order() : ordered).Select(r => $"{table}: {r}"));
        }
        return all;
    }
}
