using Npgsql;
using NpgsqlTypes;

namespace Ouroboros.Store.Postgres;

/// <summary>
/// The PostgreSQL store's tables as plain rows (<see cref="IRunRows"/>). A table's rows are written by
/// binary <c>COPY</c> into a temporary table, then one <c>INSERT ... SELECT ... ON CONFLICT</c>: bulk
/// speed, and rows the store already holds are skipped as with single inserts. All in one transaction.
/// </summary>
internal sealed class PostgresRunRows(PostgresRunStore store) : IRunRows
{
    public TableRows Read(string table, string where, params (string Name, object? Value)[] parameters) => store.Read(c =>
    {
        using var cmd = PostgresRunStore.Command(c, null, $"SELECT * FROM {table} WHERE {where}{RunRowsSql.Order(table)};", parameters);
        using var r = cmd.ExecuteReader();
        return RunRowsSql.Rows(table, r);
    });

    public int Write(IReadOnlyList<TableRows> tables) => store.InTransaction((c, tx) =>
    {
        int written = 0;
        foreach (var t in tables.Where(t => t.Rows.Count > 0))
        {
            var types = ColumnTypes(c, tx, t.Table);
            var columns = string.Join(", ", t.Columns.Select(Quoted));
            Exec(c, tx, $"CREATE TEMP TABLE copy_rows ON COMMIT DROP AS SELECT {columns} FROM {t.Table} WITH NO DATA; ALTER TABLE copy_rows ADD COLUMN copy_order BIGSERIAL;");
            using (var import = c.BeginBinaryImport($"COPY copy_rows ({columns}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var row in t.Rows)
                {
                    import.StartRow();
                    for (int i = 0; i < row.Length; i++)
                    {
                        var type = types[t.Columns[i]];
                        if (row[i] is null) import.WriteNull();
                        else import.Write(Convert.ChangeType(row[i], ClrType(type), System.Globalization.CultureInfo.InvariantCulture), type);
                    }
                }
                import.Complete();
            }
            using (var insert = new NpgsqlCommand(
                $"INSERT INTO {t.Table} ({columns}) SELECT {columns} FROM copy_rows ORDER BY copy_order {RunRowsSql.OnConflict(t.Table)};", c, tx))
                written += insert.ExecuteNonQuery();
            Exec(c, tx, "DROP TABLE copy_rows;");
        }
        return written;
    });

    public int FamilyVersion(StoreModule family) => new PostgresModuleTables(store, family).InstalledVersion();

    public void InstallFamily(StoreModule family) => new PostgresModuleTables(store, family).Install();

    /// <summary>Each column's type in the store, so values read from SQLite (whose integers are all 64-bit) are written as the column wants.</summary>
    private static Dictionary<string, NpgsqlDbType> ColumnTypes(NpgsqlConnection c, NpgsqlTransaction tx, string table)
    {
        using var cmd = PostgresRunStore.Command(c, tx,
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t;", [("t", table)]);
        using var r = cmd.ExecuteReader();
        var types = new Dictionary<string, NpgsqlDbType>();
        while (r.Read())
            if (RunRowsSql.Carried(table, r.GetString(0))) types[r.GetString(0)] = r.GetString(1) switch
            {
                "integer" => NpgsqlDbType.Integer, "bigint" => NpgsqlDbType.Bigint, "smallint" => NpgsqlDbType.Smallint,
                "double precision" => NpgsqlDbType.Double, "real" => NpgsqlDbType.Real, "boolean" => NpgsqlDbType.Boolean,
                "text" or "character varying" => NpgsqlDbType.Text,
                var other => throw new RunStoreException($"{table}.{r.GetString(0)} has type {other}, which a store copy does not carry"),
            };
        return types;
    }

    private static Type ClrType(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Integer => typeof(int), NpgsqlDbType.Bigint => typeof(long), NpgsqlDbType.Smallint => typeof(short),
        NpgsqlDbType.Double => typeof(double), NpgsqlDbType.Real => typeof(float), NpgsqlDbType.Boolean => typeof(bool),
        _ => typeof(string),
    };

    private static string Quoted(string column) => $"\"{column.Replace("\"", "\"\"")}\"";

    private static void Exec(NpgsqlConnection c, NpgsqlTransaction tx, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c, tx);
        cmd.ExecuteNonQuery();
    }
}
