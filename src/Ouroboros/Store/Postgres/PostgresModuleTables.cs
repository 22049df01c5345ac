using System.Data;
using Npgsql;

namespace Ouroboros.Store.Postgres;

/// <summary>
/// A family's tables in PostgreSQL (<see cref="IModuleTables"/>), from the family's PostgreSQL
/// migrations (<see cref="ModuleMigration.Postgres"/>). Installing runs under the schema's advisory
/// lock, so two processes writing a family's first row at once create its tables once.
/// </summary>
internal sealed class PostgresModuleTables(PostgresRunStore store, StoreModule module) : IModuleTables
{
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        Install();
        return store.Write(sql, parameters);
    }

    public IReadOnlyList<T> Query<T>(string sql, Func<IDataRecord, T> read, params (string Name, object? Value)[] parameters) =>
        InstalledVersion() == 0 ? [] : store.Query(sql, r => read(r), parameters);

    /// <summary>The family's version in this store, refusing one newer than this build knows.</summary>
    public int InstalledVersion()
    {
        if (store.InstalledModules.TryGetValue(module.Name, out int known)) return known;
        int version = store.Read(c => Version(c, null));
        if (version > module.CurrentVersion) throw Newer(version);
        if (version > 0) store.InstalledModules[module.Name] = version;
        return version;
    }

    /// <summary>Brings the family's tables to its current version in one transaction, under the migration lock.</summary>
    public void Install()
    {
        if (InstalledVersion() == module.CurrentVersion) return;
        store.InTransaction((c, tx) =>
        {
            using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresSchema.MigrationLock});", c, tx)) lockCmd.ExecuteNonQuery();
            // Read again under the lock: another process may have installed it meanwhile.
            int v = Version(c, tx);
            if (v > module.CurrentVersion) throw Newer(v);
            for (; v < module.CurrentVersion; v++)
                using (var cmd = new NpgsqlCommand(module.Migrations[v].For(StoreDialect.Postgres), c, tx)) cmd.ExecuteNonQuery();
            using var mark = PostgresRunStore.Command(c, tx,
                "INSERT INTO module_versions (module, version) VALUES (@m, @v) ON CONFLICT (module) DO UPDATE SET version = excluded.version;",
                [("m", module.Name), ("v", module.CurrentVersion)]);
            mark.ExecuteNonQuery();
            return 0;
        });
        store.InstalledModules[module.Name] = module.CurrentVersion;
    }

    private int Version(NpgsqlConnection c, NpgsqlTransaction? tx)
    {
        using var cmd = PostgresRunStore.Command(c, tx, "SELECT version FROM module_versions WHERE module = @m;", [("m", module.Name)]);
        return Convert.ToInt32(cmd.ExecuteScalar() ?? 0);
    }

    private RunStoreException Newer(int version) =>
        new($"{store.Location} holds {module.Name} tables of schema version {version}, newer than this Ouroboros understands ({module.CurrentVersion}); upgrade ouro or use another store.");
}
