using System.Text.Json;
using Ouroboros.Store;

namespace Ouroboros.Stop;

/// <summary>
/// STOP's own table in the run store: each iteration's candidate, its meta-utility per run on both
/// splits, and the adoption test's verdict. The family ships its schema (<see cref="Module"/>); the
/// store creates it on STOP's first write.
/// </summary>
public sealed class IterationTable(IRunStore store)
{
    public static readonly StoreModule Module = new("stop", ["iterations"],
    [
        // 1: the iterations. IF NOT EXISTS: stores made before families owned their tables already have it.
        new ModuleMigration(
            """
            CREATE TABLE IF NOT EXISTS iterations (
                run_id        TEXT NOT NULL REFERENCES runs(id),
                t             INTEGER NOT NULL,          -- 0 = the seed improver
                improver_hash TEXT NOT NULL,             -- the candidate evaluated at t
                val           REAL NOT NULL,
                test          REAL NOT NULL,
                val_runs      TEXT NOT NULL,             -- JSON: the n per-run downstream utilities
                test_runs     TEXT NOT NULL,
                adopted       INTEGER NOT NULL,
                reason        TEXT NOT NULL,
                PRIMARY KEY (run_id, t)
            );
            """,
            """
            CREATE TABLE IF NOT EXISTS iterations (
                run_id        TEXT NOT NULL REFERENCES runs(id),
                t             INTEGER NOT NULL,
                improver_hash TEXT NOT NULL,
                val           DOUBLE PRECISION NOT NULL,
                test          DOUBLE PRECISION NOT NULL,
                val_runs      TEXT NOT NULL,
                test_runs     TEXT NOT NULL,
                adopted       INTEGER NOT NULL,
                reason        TEXT NOT NULL,
                PRIMARY KEY (run_id, t)
            );
            """),
    ]);

    private readonly IModuleTables _tables = store.Tables(Module);
    private readonly StoreLimits _limits = store.Limits;

    /// <summary>Records iteration <see cref="IterationRow.T"/>; recording it again (a resume) replaces it.</summary>
    public void PutIteration(IterationRow i) => _tables.Execute("""
        INSERT INTO iterations (run_id, t, improver_hash, val, test, val_runs, test_runs, adopted, reason)
        VALUES (@run, @t, @hash, @val, @test, @valRuns, @testRuns, @adopted, @reason)
        ON CONFLICT (run_id, t) DO UPDATE SET improver_hash = excluded.improver_hash, val = excluded.val, test = excluded.test,
            val_runs = excluded.val_runs, test_runs = excluded.test_runs, adopted = excluded.adopted, reason = excluded.reason;
        """, ("@run", i.RunId), ("@t", i.T), ("@hash", i.ImproverHash), ("@val", i.Val), ("@test", i.Test),
        ("@valRuns", JsonSerializer.Serialize(i.ValRuns)), ("@testRuns", JsonSerializer.Serialize(i.TestRuns)), ("@adopted", i.Adopted ? 1 : 0),
        ("@reason", StoredText.Bound(i.Reason, _limits.DetailBytes)));

    /// <summary>Run <paramref name="runId"/>'s iterations in order of t; none for a run of another kind.</summary>
    public IReadOnlyList<IterationRow> Iterations(string runId) => _tables.Query(
        "SELECT run_id, t, improver_hash, val, test, val_runs, test_runs, adopted, reason FROM iterations WHERE run_id = @run ORDER BY t;",
        r => new IterationRow(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4),
            JsonSerializer.Deserialize<double[]>(r.GetString(5))!, JsonSerializer.Deserialize<double[]>(r.GetString(6))!, r.GetInt32(7) == 1, r.GetString(8)),
        ("@run", runId));
}
