namespace Ouroboros.Store;

/// <summary>Rows of one table, by column name, in the order they were written.</summary>
public sealed record TableRows(string Table, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>
/// A store's tables as plain rows, for moving runs between stores (<see cref="StoreCopy"/>) without
/// knowing either store's database: values are strings, whole numbers, doubles or null.
/// </summary>
internal interface IRunRows
{
    /// <summary>
    /// The rows of <paramref name="table"/> where <paramref name="where"/> holds (SQL both stores accept, parameters <c>@name</c>),
    /// in the order written, without surrogate ids (<c>id</c> of an append-only table) or lease columns: a copy gets new ones.
    /// </summary>
    TableRows Read(string table, string where, params (string Name, object? Value)[] parameters);

    /// <summary>Writes every row in one transaction; a row whose key the store already holds is skipped, except <c>runs</c>, whose status and result are brought up to date.</summary>
    int Write(IReadOnlyList<TableRows> tables);

    /// <summary>The version of <paramref name="family"/>'s tables in this store: 0 when it never wrote.</summary>
    int FamilyVersion(StoreModule family);

    /// <summary>Creates or upgrades <paramref name="family"/>'s tables.</summary>
    void InstallFamily(StoreModule family);
}

/// <summary>What both stores' <see cref="IRunRows"/> share: which columns a copy leaves behind, and how a conflicting row is treated.</summary>
internal static class RunRowsSql
{
    /// <summary>Columns a copy does not carry: surrogate ids (the target numbers its rows) and a run's lease (held by a process on the source's side).</summary>
    public static bool Carried(string table, string column) =>
        !(column == "id" && table is "evaluations" or "safety_events" or "model_calls") && !column.StartsWith("lease_", StringComparison.Ordinal);

    /// <summary>The ordering that reads rows as they were written.</summary>
    public static string Order(string table) => table is "evaluations" or "safety_events" or "model_calls" ? " ORDER BY id" : "";

    /// <summary>What an insert does with a row whose key exists: a run's status and result follow the source; anything else is kept.</summary>
    public static string OnConflict(string table) => table == "runs"
        ? "ON CONFLICT (id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at, result = excluded.result " +
          // Only when they differ: a copy of what the target holds writes nothing.
          "WHERE runs.status IS DISTINCT FROM excluded.status OR runs.finished_at IS DISTINCT FROM excluded.finished_at OR runs.result IS DISTINCT FROM excluded.result"
        : "ON CONFLICT DO NOTHING";

    /// <summary>A query's rows as a table's, the columns a copy leaves behind dropped, null for SQL NULL.</summary>
    public static TableRows Rows(string table, System.Data.Common.DbDataReader r)
    {
        var carried = Enumerable.Range(0, r.FieldCount).Where(i => Carried(table, r.GetName(i))).ToArray();
        var rows = new List<object?[]>();
        while (r.Read()) rows.Add(carried.Select(i => r.IsDBNull(i) ? null : r.GetValue(i)).ToArray());
        return new TableRows(table, carried.Select(r.GetName).ToArray(), rows);
    }
}
