using System.Data;
using Microsoft.Data.Sqlite;

namespace Ouroboros.Store;

/// <summary>
/// A family's tables in the SQLite store (<see cref="IModuleTables"/>). The family's version is kept
/// in <c>module_versions</c>; its migrations run on its first write, each in its own transaction, so
/// a store never holds tables of a family that never wrote, and a reader never changes the store.
/// </summary>
internal sealed class ModuleTables(RunStore store, StoreModule module) : IModuleTables
{
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        Install();
        return store.InTransaction((c, tx) =>
        {
            using var cmd = Command(c, sql, parameters);
            cmd.Transaction = tx;
            return cmd.ExecuteNonQuery();
        });
    }

    public IReadOnlyList<T> Query<T>(string sql, Func<IDataRecord, T> read, params (string Name, object? Value)[] parameters)
    {
        if (InstalledVersion() == 0) return [];
        return store.Read<IReadOnlyList<T>>(c =>
        {
            using var cmd = Command(c, sql, parameters);
            var rows = new List<T>();
            using var r = cmd.ExecuteReader();
            while (r.Read()) rows.Add(read(r));
            return rows;
        });
    }

    /// <summary>The family's version in this store, refusing one newer than this build knows.</summary>
    internal int InstalledVersion()
    {
        if (store.InstalledModules.TryGetValue(module.Name, out int known)) return known;
        int version = store.Read(c => Version(c, null));
        if (version > module.CurrentVersion) throw Newer(version);
        // Remember only a version that exists: another process may install the family at any moment.
        if (version > 0) store.InstalledModules[module.Name] = version;
        return version;
    }

    internal void Install()
    {
        if (InstalledVersion() == module.CurrentVersion) return;
        for (;;)
        {
            int reached = store.InTransaction((c, tx) =>
            {
                // Read again inside the transaction: another process may have migrated meanwhile.
                int v = Version(c, tx);
                if (v > module.CurrentVersion) throw Newer(v);
                if (v == module.CurrentVersion) return v;
                using (var cmd = Command(c, module.Migrations[v].For(StoreDialect.Sqlite), [])) { cmd.Transaction = tx; cmd.ExecuteNonQuery(); }
                using (var cmd = Command(c, "INSERT INTO module_versions (module, version) VALUES (@m, @v) ON CONFLICT (module) DO UPDATE SET version = excluded.version;",
                           [("@m", module.Name), ("@v", v + 1)])) { cmd.Transaction = tx; cmd.ExecuteNonQuery(); }
                return v + 1;
            });
            if (reached == module.CurrentVersion) break;
        }
        store.InstalledModules[module.Name] = module.CurrentVersion;
    }

    private int Version(SqliteConnection c, SqliteTransaction? tx)
    {
        using var cmd = Command(c, "SELECT version FROM module_versions WHERE module = @m;", [("@m", module.Name)]);
        cmd.Transaction = tx;
        return Convert.ToInt32(cmd.ExecuteScalar() ?? 0);
    }

    private RunStoreException Newer(int version) =>
        new($"{store.Location} holds {module.Name} tables of schema version {version}, newer than this Ouroboros understands ({module.CurrentVersion}); upgrade ouro or use another store.");

    private static SqliteCommand Command(SqliteConnection c, string sql, (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }
}
