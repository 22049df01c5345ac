using Ouroboros.Store;

namespace Ouroboros.Reporting;

/// <summary>
/// A program as one run knows it: its kind, the program that produced it (<see cref="ParentHash"/>),
/// the run that stored it first, and its utility on each split where this run evaluated it (solutions).
/// <see cref="FirstEvaluated"/> orders equal utilities by who got there first.
/// </summary>
public sealed record RunProgram(string Hash, string Kind, string? ParentHash, string? StoredBy, double? Val, double? Test, long? FirstEvaluated)
{
    public const string Improver = "improver", Solution = "solution";
}

/// <summary>
/// Reads the programs of one run: those it stored first, and those another run stored first that this
/// run scored as an iteration or evaluated. Programs are content-addressed, so a run repeating another
/// (same seed, same model) stores nothing new; without the second and third clauses its lineage would
/// be empty. Reads only, in one statement.
/// </summary>
public static class RunPrograms
{
    public static IReadOnlyList<RunProgram> Of(RunStore store, string runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Read(c =>
        {
            using var cmd = c.CreateCommand();
            // One evaluation per program, split and seeds in a run; a run on one task has one per split.
            // Transfer runs score one solution per task, so "first" is as good as any there.
            cmd.CommandText = """
                SELECT p.hash, p.kind, p.parent_hash, p.run_id,
                  (SELECT utility FROM evaluations e WHERE e.run_id = $run AND e.program_hash = p.hash AND e.split = 'val' ORDER BY e.id LIMIT 1),
                  (SELECT utility FROM evaluations e WHERE e.run_id = $run AND e.program_hash = p.hash AND e.split = 'test' ORDER BY e.id LIMIT 1),
                  (SELECT MIN(e.id) FROM evaluations e WHERE e.run_id = $run AND e.program_hash = p.hash)
                FROM programs p
                WHERE p.run_id = $run
                   OR p.hash IN (SELECT improver_hash FROM iterations WHERE run_id = $run)
                   OR p.hash IN (SELECT program_hash FROM evaluations WHERE run_id = $run)
                ORDER BY p.created_at, p.hash;
                """;
            cmd.Parameters.AddWithValue("$run", runId);
            var rows = new List<RunProgram>();
            using var r = cmd.ExecuteReader();
            while (r.Read())
                rows.Add(new RunProgram(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5), r.IsDBNull(6) ? null : r.GetInt64(6)));
            return rows;
        });
    }
}
