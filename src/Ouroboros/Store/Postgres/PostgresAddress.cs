using Npgsql;

namespace Ouroboros.Store.Postgres;

/// <summary>
/// A PostgreSQL run store's address as <c>--db</c> gives it: <c>postgresql://user@host:port/dbname</c>
/// (or <c>postgres://</c>). The password never travels in it: a command line is visible to every user
/// of the machine, so it comes from <c>PGPASSWORD</c> or <c>~/.pgpass</c> (Npgsql reads the file itself).
/// </summary>
public sealed record PostgresAddress(string Host, int Port, string Database, string? User, SslMode? SslMode)
{
    /// <summary>Whether <paramref name="db"/> names a PostgreSQL store rather than a SQLite file.</summary>
    public static bool Names(string db) =>
        db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a URI; anything it cannot use is a <see cref="RunStoreException"/> saying what to write instead.</summary>
    public static PostgresAddress Parse(string db)
    {
        const string Shape = "write postgresql://user@host:port/dbname";
        if (!Uri.TryCreate(db, UriKind.Absolute, out var uri) || !Names(db))
            throw new RunStoreException($"--db '{Redacted(db)}' is not a PostgreSQL URI; {Shape}.");
        if (uri.UserInfo.Contains(':'))
            throw new RunStoreException($"--db must not carry a password (a command line is visible to every user of the machine); remove it from the URI and set PGPASSWORD or add it to ~/.pgpass.");
        if (string.IsNullOrEmpty(uri.Host)) throw new RunStoreException($"--db '{db}' names no host; {Shape}.");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/')) throw new RunStoreException($"--db '{db}' names no database; {Shape}.");
        SslMode? ssl = null;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, Uri.UnescapeDataString(v)) : (pair, "");
            if (key == "sslmode" && Enum.TryParse<SslMode>(value.Replace("-", ""), ignoreCase: true, out var mode)) ssl = mode;
            else throw new RunStoreException($"--db '{db}': the URI option '{key}' is not supported (only sslmode=disable|prefer|require|verify-ca|verify-full); remove it.");
        }
        var user = uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo) : null;
        return new PostgresAddress(uri.Host.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port, database, user, ssl);
    }

    /// <summary>The address for messages: never a password, since none is ever in it.</summary>
    public override string ToString() =>
        $"postgresql://{(User is null ? "" : Uri.EscapeDataString(User) + "@")}{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}/{Uri.EscapeDataString(Database)}";

    /// <summary>
    /// The connection string: pooled, a short connect timeout (a server that is down is reported in
    /// seconds, not half a minute), the password only from <c>PGPASSWORD</c> when set.
    /// </summary>
    public string ConnectionString(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host, Port = Port, Database = Database, Pooling = true, Timeout = 10, ApplicationName = "ouro",
            Username = User ?? environment("PGUSER") ?? Environment.UserName,
        };
        if (environment("PGPASSWORD") is { Length: > 0 } password) builder.Password = password;
        if (SslMode is { } ssl) builder.SslMode = ssl;
        return builder.ConnectionString;
    }

    /// <summary>A string that failed to parse, for a message: whatever sits between "://" and "@" is dropped, in case it held a password.</summary>
    private static string Redacted(string db)
    {
        int scheme = db.IndexOf("://", StringComparison.Ordinal), at = db.LastIndexOf('@');
        return scheme >= 0 && at > scheme ? db[..(scheme + 3)] + "…" + db[at..] : db;
    }
}
