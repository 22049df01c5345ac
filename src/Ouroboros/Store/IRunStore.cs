namespace Ouroboros.Store;

/// <summary>
/// A run store, by concern: the journal, programs and lineage, evaluations, and each
/// run's model ledger and recorded responses; and the tables each experiment family owns. No database type appears here: the embedded SQLite
/// store (<see cref="RunStore"/>) implements it, and so does the PostgreSQL one (<see cref="Postgres.PostgresRunStore"/>).
/// </summary>
public interface IRunStore : IDisposable
{
    /// <summary>Where the store is, for messages (a path, or a server's address without credentials).</summary>
    string Location { get; }

    /// <summary>How much of what programs produce the store keeps.</summary>
    StoreLimits Limits { get; }

    IRunJournal Journal { get; }
    IProgramStore Programs { get; }
    IEvaluationStore Evaluations { get; }

    /// <summary>Which process may write each run now (<see cref="IRunLeases"/>).</summary>
    IRunLeases Leases { get; }

    /// <summary>The model ledger of run <paramref name="runId"/>.</summary>
    IModelLedger Ledger(string runId);

    /// <summary>The recorded responses of run <paramref name="runId"/>.</summary>
    IResponseRecording Recording(string runId);

    /// <summary>
    /// What is wrong with the store's data, found by reading all of it and writing nothing; none when it
    /// is sound. <paramref name="quick"/> allows a cheaper check where the store has one.
    /// </summary>
    IReadOnlyList<string> Problems(bool quick = false);

    /// <summary>An experiment family's own tables (<see cref="StoreModule"/>), created on the family's first write.</summary>
    IModuleTables Tables(StoreModule module);
}
