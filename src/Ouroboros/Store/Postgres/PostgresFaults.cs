using System.Net.Sockets;
using Npgsql;

namespace Ouroboros.Store.Postgres;

/// <summary>
/// Turns the PostgreSQL errors that mean "the server, not the query" into store exceptions naming
/// the server (never a password) and what to do; the PostgreSQL counterpart of <see cref="StoreFaults"/>.
/// </summary>
internal static class PostgresFaults
{
    /// <summary>The store exception for <paramref name="e"/>, or null when it is not a fault of the server (a bug: let it through).</summary>
    public static RunStoreException? Of(NpgsqlException e, PostgresAddress at) => e switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => Refused(at),
        PostgresException { SqlState: "3D000" } => new RunStoreException(
            $"there is no database '{at.Database}' on the PostgreSQL server {at.Host}:{at.Port}; create it (createdb -h {at.Host} -p {at.Port} {Quote(at.Database)}) or pass another --db"),
        PostgresException { SqlState: "25006" } => ReadOnly(at),
        PostgresException { SqlState: "53100" } => new StoreUnavailableException($"the PostgreSQL server holding the run store {at} is out of disk space; free space there (or pass another --db)"),
        PostgresException { SqlState: "XX001" or "XX002" } p => new StoreDamagedException($"the run store {at} is damaged ({p.MessageText}); nothing was written to it — ask its administrator to restore it, or pass another --db"),
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" or "08004" } => Unreachable(at, "it is shutting down or not accepting connections"),
        PostgresException => null,
        _ when e.Message.Contains("password", StringComparison.OrdinalIgnoreCase) => Refused(at),
        _ when e.InnerException is SocketException or TimeoutException or IOException || e.IsTransient => Unreachable(at, Reason(e)),
        _ => null,
    };

    public static StoreUnavailableException ReadOnly(PostgresAddress at) =>
        new($"the run store {at} is read-only (a standby, or a read-only transaction setting); point --db at the primary server");

    private static StoreUnreachableException Refused(PostgresAddress at) =>
        new($"the PostgreSQL server {at.Host}:{at.Port} refused user '{at.User ?? "(default)"}' for database '{at.Database}'; set PGPASSWORD or add the password to ~/.pgpass, or check the user in --db");

    private static StoreUnreachableException Unreachable(PostgresAddress at, string why) =>
        new($"cannot reach the PostgreSQL server for {at} ({why}); start it or check the host and port in --db");

    private static string Reason(NpgsqlException e) => (e.InnerException as SocketException)?.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData => "unknown host",
        SocketError.TimedOut => "timed out",
        _ => e.InnerException is TimeoutException ? "timed out" : "connection failed",
    };

    private static string Quote(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : $"'{name}'";
}
