using Microsoft.Data.Sqlite;

namespace Ouroboros.Store;

/// <summary>The SQLite store's tables as plain rows (<see cref="IRunRows"/>): read by a query, written by inserts in one transaction.</summary>
internal sealed class SqliteRunRows(RunStore store) : IRunRows
{
    public TableRows Read(string table, string where, params (string Name, object? Value)[] parameters) => store.Read(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT * FROM {table} WHERE {where}{RunRowsSql.Order(table)};";
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        using var r = cmd.ExecuteReader();
        return RunRowsSql.Rows(table, r);
    });

    public int Write(IReadOnlyList<TableRows> tables) => store.InTransaction((c, tx) =>
    {
        int written = 0;
        foreach (var t in tables.Where(t => t.Rows.Count > 0))
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"INSERT INTO {t.Table} ({string.Join(", ", t.Columns)}) VALUES ({string.Join(", ", t.Columns.Select((_, i) => $"@p{i}"))}) {RunRowsSql.OnConflict(t.Table)};";
            var ps = t.Columns.Select((_, i) => cmd.Parameters.Add(new SqliteParameter($"@p{i}", null))).ToArray();
            foreach (var row in t.Rows)
            {
                for (int i = 0; i < ps.Length; i++) ps[i].Value = row[i] ?? DBNull.Value;
                written += cmd.ExecuteNonQuery();
            }
        }
        return written;
    });

    public int FamilyVersion(StoreModule family) => new ModuleTables(store, family).InstalledVersion();

    public void InstallFamily(StoreModule family) => new ModuleTables(store, family).Install();
}
