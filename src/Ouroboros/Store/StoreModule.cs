namespace Ouroboros.Store;

/// <summary>
/// An experiment family's own tables: their names and their migrations, which the family ships
/// with its code and the store applies on first use (<see cref="IRunStore.Tables"/>). Migration i
/// brings the family's tables from version i to i + 1; append, never edit one that has shipped.
/// Every table has a <c>run_id</c> column, so a run's rows can be found (and copied between stores)
/// without knowing the family.
/// </summary>
public sealed record StoreModule(string Name, IReadOnlyList<string> Tables, IReadOnlyList<ModuleMigration> Migrations)
{
    public int CurrentVersion => Migrations.Count;
}

/// <summary>
/// One migration of a family's tables, as SQL for each store: SQLite's, and PostgreSQL's where its
/// types differ (<c>DOUBLE PRECISION</c> for <c>REAL</c>, <c>BIGINT</c> for 64-bit integers). Null
/// means the same statements serve both.
/// </summary>
public sealed record ModuleMigration(string Sqlite, string? Postgres = null)
{
    public string For(StoreDialect dialect) => dialect == StoreDialect.Postgres ? Postgres ?? Sqlite : Sqlite;
}

/// <summary>Which SQL a store speaks.</summary>
public enum StoreDialect { Sqlite, Postgres }
