using System.Text.Json;
using Ouroboros.Store;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>The w2s family's own table in the run store: one row per trained model (<see cref="W2sRow"/>).</summary>
public sealed class W2sTable(IRunStore store)
{
    public static readonly StoreModule Module = new("w2s", ["w2s_models"],
    [
        new ModuleMigration(
            """
            CREATE TABLE w2s_models (
                run_id          TEXT NOT NULL REFERENCES runs(id),
                setting         TEXT NOT NULL,             -- latent | transformer
                view            TEXT NOT NULL,             -- setting (a)'s student view of the supervisor's noise
                seed            INTEGER NOT NULL,
                role            TEXT NOT NULL,             -- weak | ceiling | student | chain
                method          TEXT NOT NULL,             -- xent | logconf-paper | logconf-repo; '' for weak and ceiling
                epochs          INTEGER NOT NULL,
                supervisor_size INTEGER NOT NULL,          -- who labelled its training data (itself: ground truth)
                size            INTEGER NOT NULL,
                test_accuracy   REAL NOT NULL,
                curve           TEXT,                      -- JSON array: test accuracy after each epoch
                PRIMARY KEY (run_id, setting, view, seed, role, method, epochs, size)
            );
            """,
            """
            CREATE TABLE w2s_models (
                run_id          TEXT NOT NULL REFERENCES runs(id),
                setting         TEXT NOT NULL,
                view            TEXT NOT NULL,
                seed            INTEGER NOT NULL,
                role            TEXT NOT NULL,
                method          TEXT NOT NULL,
                epochs          INTEGER NOT NULL,
                supervisor_size INTEGER NOT NULL,
                size            INTEGER NOT NULL,
                test_accuracy   DOUBLE PRECISION NOT NULL,
                curve           TEXT,
                PRIMARY KEY (run_id, setting, view, seed, role, method, epochs, size)
            );
            """),
    ]);

    private readonly IModuleTables _tables = store.Tables(Module);

    public void Put(W2sRow r) => _tables.Execute("""
        INSERT INTO w2s_models (run_id, setting, view, seed, role, method, epochs, supervisor_size, size, test_accuracy, curve)
        VALUES (@run, @setting, @view, @seed, @role, @method, @epochs, @supervisor, @size, @accuracy, @curve)
        ON CONFLICT (run_id, setting, view, seed, role, method, epochs, size) DO UPDATE SET supervisor_size = excluded.supervisor_size,
            test_accuracy = excluded.test_accuracy, curve = excluded.curve;
        """, ("@run", r.RunId), ("@setting", r.Setting), ("@view", r.View), ("@seed", r.Seed), ("@role", r.Role), ("@method", r.Method), ("@epochs", r.Epochs),
        ("@supervisor", r.SupervisorSize), ("@size", r.Size), ("@accuracy", r.TestAccuracy), ("@curve", r.Curve is null ? null : JsonSerializer.Serialize(r.Curve)));

    /// <summary>Run <paramref name="runId"/>'s models, in a stable order.</summary>
    public IReadOnlyList<W2sRow> Rows(string runId) => _tables.Query(
        "SELECT run_id, setting, view, seed, role, method, epochs, supervisor_size, size, test_accuracy, curve FROM w2s_models WHERE run_id = @run ORDER BY setting, view, seed, role, method, epochs, size;",
        r => new W2sRow(r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3)), r.GetString(4), r.GetString(5), Convert.ToInt32(r.GetValue(6)),
            Convert.ToInt32(r.GetValue(7)), Convert.ToInt32(r.GetValue(8)), r.GetDouble(9), r.IsDBNull(10) ? null : JsonSerializer.Deserialize<double[]>(r.GetString(10))),
        ("@run", runId));
}
