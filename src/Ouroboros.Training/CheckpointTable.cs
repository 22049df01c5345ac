using System.Text.Json;
using Ouroboros.Store;

namespace Ouroboros.Training;

/// <summary>
/// The training family's table in the run store: checkpoints by content hash, stored once, so a run
/// that resumes or is replayed loads the very weights it trained (no file beside the store to lose).
/// </summary>
public sealed class CheckpointTable(IRunStore store)
{
    public static readonly StoreModule Module = new("training", ["checkpoints"],
    [
        new ModuleMigration(
            """
            CREATE TABLE checkpoints (
                hash     TEXT PRIMARY KEY,
                run_id   TEXT NOT NULL REFERENCES runs(id),   -- the run that stored it first
                shape    TEXT NOT NULL,                       -- TransformerShape as JSON
                weights  BLOB NOT NULL
            );
            """,
            """
            CREATE TABLE checkpoints (
                hash     TEXT PRIMARY KEY,
                run_id   TEXT NOT NULL REFERENCES runs(id),
                shape    TEXT NOT NULL,
                weights  BYTEA NOT NULL
            );
            """),
    ]);

    private readonly IModuleTables _tables = store.Tables(Module);

    public void Put(string runId, Checkpoint checkpoint) => _tables.Execute(
        "INSERT INTO checkpoints (hash, run_id, shape, weights) VALUES (@hash, @run, @shape, @weights) ON CONFLICT (hash) DO NOTHING;",
        ("@hash", checkpoint.Hash), ("@run", runId), ("@shape", JsonSerializer.Serialize(checkpoint.Shape)), ("@weights", checkpoint.Weights));

    public Checkpoint? Get(string hash) => _tables.Query(
        "SELECT hash, shape, weights FROM checkpoints WHERE hash = @hash;",
        r => new Checkpoint(r.GetString(0), JsonSerializer.Deserialize<TransformerShape>(r.GetString(1))!, (byte[])r.GetValue(2)),
        ("@hash", hash)).SingleOrDefault();
}
