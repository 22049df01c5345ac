using Ouroboros.Store.Postgres;

namespace Ouroboros.Store;

/// <summary>What a copy did with one run: how many rows it wrote into the target (0 when the target already held them all).</summary>
public sealed record CopiedRun(string RunId, int RowsWritten, int Programs);

/// <summary>
/// Copies runs between two stores of either kind (a laptop's SQLite file into the team's PostgreSQL
/// server, and back): each run's journal row, steps, safety events, evaluations, ledger, recorded
/// responses and its families' rows, and the programs it stored, evaluated or scored with every
/// ancestor in their lineage. Rows are copied as stored, so no hash, score or time changes. Idempotent:
/// what the target holds already is skipped, so copying twice changes nothing. A run is written in one
/// transaction, and every run is checked before any is written, so a refused or failed copy leaves nothing half-written.
/// </summary>
public static class StoreCopy
{
    /// <summary>The shared tables keyed by run, in the order a copy writes them (runs first: the others refer to it).</summary>
    private static readonly string[] RunTables = ["runs", "steps", "safety_events", "evaluations", "model_responses"];

    /// <summary>
    /// Copies <paramref name="runIds"/> (every run when null) from <paramref name="from"/> to <paramref name="to"/>, with
    /// the rows of each of <paramref name="families"/>. Throws <see cref="RunStoreException"/>, before writing that run,
    /// when the target holds a different run of the same id or other rows than the source's.
    /// </summary>
    public static IReadOnlyList<CopiedRun> Copy(IRunStore from, IRunStore to, IReadOnlyList<string>? runIds, IReadOnlyList<StoreModule> families)
    {
        IRunRows source = Rows(from), target = Rows(to);
        var present = families.Where(f => source.FamilyVersion(f) > 0).ToList();
        foreach (var f in present)
        {
            if (source.FamilyVersion(f) != f.CurrentVersion)
                throw new RunStoreException($"{from.Location} holds {f.Name} tables of an older version; open it once with this ouro (e.g. 'ouro runs --db {from.Location}') to upgrade it, then copy.");
            target.InstallFamily(f);
        }
        var ids = runIds ?? from.Journal.Runs().Select(r => r.Id).Reverse().ToList();
        // Every run is read and checked before any is written: a refusal leaves the target as it was.
        var plans = ids.Select(id => Plan(id, from, to, source, target, present)).ToList();
        return plans.Select(p => new CopiedRun(p.RunId, target.Write(p.Tables), p.Programs)).ToList();
    }

    private sealed record RunPlan(string RunId, IReadOnlyList<TableRows> Tables, int Programs);

    private static RunPlan Plan(string id, IRunStore from, IRunStore to, IRunRows source, IRunRows target, IReadOnlyList<StoreModule> families)
    {
        var run = from.Journal.GetRun(id) ?? throw new RunStoreException($"there is no run {id} in {from.Location}; see 'ouro runs --db {from.Location}'.");
        if (to.Journal.GetRun(id) is { } there && (there.Kind != run.Kind || there.CreatedAt != run.CreatedAt || there.Config.ToJsonString() != run.Config.ToJsonString()))
            throw new RunStoreException($"{to.Location} holds a different run with the id {id} (a {there.Kind} run created {there.CreatedAt:O}); nothing was copied — copy into another store.");

        var tables = RunTables.Select(t => source.Read(t, t == "runs" ? "id = @run" : "run_id = @run", ("@run", id))).ToList();
        // Append-only tables have no key to skip a row by: copy them whole into a run that has none, and
        // accept them as copied when the target holds as many; anything else is another history.
        var appendOnly = new[] { "model_calls" }.Concat(families.SelectMany(f => f.Tables))
            .Select(t => (Source: source.Read(t, "run_id = @run", ("@run", id)), Held: target.Read(t, "run_id = @run", ("@run", id)).Rows.Count)).ToList();
        foreach (var (rows, held) in appendOnly)
        {
            if (held == 0) tables.Add(rows);
            else if (held != rows.Rows.Count)
                throw new RunStoreException($"{to.Location} holds {held} {rows.Table} rows of run {id} where {from.Location} holds {rows.Rows.Count}; nothing was copied — the two stores hold different histories of this run.");
        }

        var programs = Programs(id, source, [.. tables, .. appendOnly.Select(a => a.Source)]);
        foreach (var row in programs.Rows)
        {
            var hash = (string)row[programs.Columns.ToList().IndexOf("hash")]!;
            if (to.Programs.ProgramSource(hash) is { } held && held != (string)row[programs.Columns.ToList().IndexOf("source")]!)
                throw new RunStoreException($"{to.Location} holds another source under the program hash {hash}; nothing was copied — check that store ('ouro store check --db {to.Location}').");
        }
        tables.Insert(1, programs);
        return new RunPlan(id, tables, programs.Rows.Count);
    }

    /// <summary>The programs a run refers to (it stored them, evaluated them, or its families' rows name them in a <c>*_hash</c> column), with their ancestors.</summary>
    private static TableRows Programs(string runId, IRunRows source, IReadOnlyList<TableRows> runRows)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in runRows)
            foreach (var (column, i) in t.Columns.Select((c, i) => (c, i)).Where(c => c.c.EndsWith("hash", StringComparison.Ordinal) && c.c != "request_hash"))
                foreach (var row in t.Rows) if (row[i] is string h) wanted.Add(h);
        var rows = source.Read("programs", "run_id = @run", ("@run", runId));
        var found = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        int hash = rows.Columns.ToList().IndexOf("hash"), parent = rows.Columns.ToList().IndexOf("parent_hash");
        foreach (var row in rows.Rows) found[(string)row[hash]!] = row;
        // Walk the lineage up: a parent stored by another run is part of this run's history.
        var pending = new Queue<string>(wanted.Concat(found.Values.Select(r => r[parent] as string).OfType<string>()).Where(h => !found.ContainsKey(h)));
        while (pending.TryDequeue(out var next))
        {
            if (found.ContainsKey(next)) continue;
            if (source.Read("programs", "hash = @hash", ("@hash", next)).Rows is [var row])
            {
                found[next] = row;
                if (row[parent] is string p && !found.ContainsKey(p)) pending.Enqueue(p);
            }
        }
        return rows with { Rows = found.Values.ToList() };
    }

    /// <summary>A store's rows; both stores Ouroboros has offer them.</summary>
    private static IRunRows Rows(IRunStore store) => store switch
    {
        RunStore sqlite => sqlite.Rows,
        PostgresRunStore postgres => postgres.Rows,
        _ => throw new ArgumentException($"a store copy needs a SQLite or PostgreSQL store, not {store.GetType().Name}", nameof(store)),
    };
}
