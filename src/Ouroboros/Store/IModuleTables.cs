using System.Data;

namespace Ouroboros.Store;

/// <summary>
/// A family's tables in one store. Statements are SQL that both stores accept: parameters written
/// <c>@name</c>, upserts as <c>INSERT ... ON CONFLICT (...) DO UPDATE</c>. Each write is one
/// transaction. Rows are read through <see cref="IDataRecord"/>, so no database's own types reach the family.
/// </summary>
public interface IModuleTables
{
    /// <summary>Runs one write; the family's tables are created or upgraded first if they must be.</summary>
    int Execute(string sql, params (string Name, object? Value)[] parameters);

    /// <summary>Runs one read. A store the family never wrote to has none of its tables; the read then finds no rows and creates nothing.</summary>
    IReadOnlyList<T> Query<T>(string sql, Func<IDataRecord, T> read, params (string Name, object? Value)[] parameters);
}
