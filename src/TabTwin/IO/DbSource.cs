using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TabTwin.IO;

internal enum DbKind { Sqlite, DuckDb, Postgres }

/// <summary>
/// One database address resolved from a source string: which engine and how to connect.
/// See <see cref="TableReader.Read"/> for the accepted forms. <c>Target</c> is the file path (SQLite/DuckDB) or the
/// Npgsql connection string (PostgreSQL); <c>Display</c> names it in messages without the password.
/// </summary>
internal sealed record DbSource(DbKind Kind, string Target, string Display)
{
    public static DbSource Postgres(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return new DbSource(DbKind.Postgres, builder.ConnectionString, $"postgres://{builder.Host}:{builder.Port}/{builder.Database}");
        }
        catch (ArgumentException e)
        {
            throw new DataSourceException("db.bad-address", $"Not a valid PostgreSQL connection string: {e.Message}", hint: "Use pg:Host=…;Username=…;Database=… or postgres://user:pass@host:port/db.", inner: e);
        }
    }

    /// <summary>Turns postgres://user:pass@host:port/db?key=value URLs into an Npgsql connection string (query keys pass through).</summary>
    public static DbSource PostgresUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new DataSourceException("db.bad-address", $"Not a valid PostgreSQL URL: '{Redact(url)}'.", hint: "Expected postgres://user:pass@host:port/database.");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            try { builder[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "true"; }
            catch (ArgumentException e)
            {
                throw new DataSourceException("db.bad-address", $"Unknown PostgreSQL URL parameter '{kv[0]}'.", inner: e);
            }
        }
        return new DbSource(DbKind.Postgres, builder.ConnectionString, Redact(url));
    }

    /// <summary>
    /// Opens a connection. For reading, a SQLite/DuckDB file must already exist and every engine is opened read-only
    /// (SQLite <c>Mode=ReadOnly</c>, DuckDB <c>access_mode=READ_ONLY</c> without external file access, PostgreSQL with
    /// read-only transactions), so no query can change the user's data or create files. A file that is not a database
    /// of that kind (or is truncated) is "db.not-a-database" in both directions.
    /// </summary>
    public DbConnection Open(bool forWriting)
    {
        var duckDb = Kind == DbKind.DuckDb ? DuckDbSupport.Require(Display) : null;
        if (Kind != DbKind.Postgres && !forWriting) FileChecks.EnsureReadable(Target);
        DbConnection connection = Kind switch
        {
            DbKind.Sqlite => new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Target,
                Mode = forWriting ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadOnly,
                Pooling = false, // so the file is released (and can be renamed/deleted) when we are done
            }.ConnectionString),
            DbKind.DuckDb => duckDb!.CreateConnection(forWriting
                ? $"Data Source={Target}"
                : $"Data Source={Target};access_mode=READ_ONLY;enable_external_access=false"),
            _ => new NpgsqlConnection(forWriting ? Target : ReadOnlyPostgres(Target)),
        };
        try
        {
            connection.Open();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            connection.Dispose();
            if (Kind != DbKind.Postgres && File.Exists(Target) && e is DbException)
                throw NotADatabase(e);
            throw new DataSourceException(Kind == DbKind.Postgres ? "db.connect-failed" : "io.unreadable",
                $"Cannot open {Kind} database '{Display}': {e.Message}", file: Display, inner: e);
        }
        if (Kind == DbKind.Sqlite) ProbeSqlite(connection);
        return connection;
    }

    /// <summary>SQLite opens any file lazily; reading its catalogue is what finds a non-database or a truncated one.</summary>
    private void ProbeSqlite(DbConnection connection)
    {
        try
        {
            if (TruncatedSqlite(Target) is { } why) throw new SqliteException(why, 11);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            command.ExecuteScalar();
        }
        catch (DbException e)
        {
            connection.Dispose();
            throw NotADatabase(e);
        }
    }

    /// <summary>
    /// SQLite reads missing pages of a cut-off file as zeros (rows come back empty, writes land in a damaged file), so the
    /// header's page count and size are checked against the file length: a database file is a whole number of its pages.
    /// </summary>
    private static string? TruncatedSqlite(string path)
    {
        if (!File.Exists(path)) return null;
        Span<byte> header = stackalloc byte[100];
        long length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            length = stream.Length;
            if (length == 0) return null;   // a new, empty database
            if (stream.ReadAtLeast(header, 100, throwOnEndOfStream: false) < 100) return $"the file is {length} bytes, shorter than a SQLite header";
        }
        if (!header[..16].SequenceEqual("SQLite format 3\0"u8)) return null;   // the engine's own check names it
        int pageSize = header[16] << 8 | header[17];
        if (pageSize == 1) pageSize = 65536;
        if (pageSize < 512) return $"the header's page size {pageSize} is invalid";
        if (length % pageSize != 0) return $"the file is {length:N0} bytes, not a whole number of {pageSize}-byte pages (truncated)";
        long pages = (uint)(header[28] << 24 | header[29] << 16 | header[30] << 8 | header[31]);
        bool countValid = header.Slice(24, 4).SequenceEqual(header.Slice(92, 4));
        if (countValid && pages > 0 && length < pages * pageSize)
            return $"the file holds {length / pageSize:N0} of its {pages:N0} pages (truncated)";
        return null;
    }

    internal DataSourceException NotADatabase(Exception e) =>
        new("db.not-a-database", $"'{Display}' is not a readable {Kind} database (or it is damaged or truncated): {e.Message}",
            file: Display, inner: e,
            hint: $"Check the file: a {Kind} database made by {(Kind == DbKind.Sqlite ? "sqlite3" : "DuckDB")} is expected; to write a new database choose a new file name.");

    private static string ReadOnlyPostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = (builder.Options is { Length: > 0 } o ? o + " " : "") + "-c default_transaction_read_only=on";
        return builder.ConnectionString;
    }

    /// <summary>Double-quoted SQL identifier (valid in SQLite, DuckDB and PostgreSQL).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>SQL listing the user tables (and views) of the current schema.</summary>
    public string ListTablesSql => Kind switch
    {
        DbKind.Sqlite => "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        DbKind.DuckDb => "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
        _ => "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
    };

    public static List<string> ListTables(DbConnection connection, DbSource source)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = source.ListTablesSql;
            using var reader = command.ExecuteReader();
            var tables = new List<string>();
            while (reader.Read()) tables.Add(reader.GetString(0));
            return tables;
        }
        catch (DbException e) when (source.Kind != DbKind.Postgres)
        {
            throw source.NotADatabase(e);
        }
        catch (DbException e)
        {
            throw new DataSourceException("db.query-failed", $"{source.Display}: listing the tables failed: {e.Message}", file: source.Display, inner: e);
        }
    }

    private static string Redact(string url)
    {
        int at = url.IndexOf('@');
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme) return url;
        var user = url[(scheme + 3)..at].Split(':')[0];
        return url[..(scheme + 3)] + user + (url[(scheme + 3)..at].Contains(':') ? ":***" : "") + url[at..];
    }

    /// <summary>
    /// Ends a write to a database: an uncommitted transaction is rolled back, the connection closed, and a database
    /// file the write created is deleted with its journals, so a failed write leaves nothing behind.
    /// </summary>
    internal static void ReleaseWrite(DbConnection? connection, DbTransaction? transaction, bool completed, DbSource source, bool createdFile)
    {
        if (!completed) try { transaction?.Rollback(); } catch (Exception) { /* the connection is closed next anyway */ }
        transaction?.Dispose();
        connection?.Dispose();
        if (!completed && createdFile) DeleteCreated(source);
        if (createdFile) ForgetCreated(source);
    }

    private static string[] CreatedFiles(DbSource source) => [source.Target, source.Target + ".wal", source.Target + "-journal", source.Target + "-wal"];

    /// <summary>A database file a write is creating: a termination signal removes it (see <see cref="OutputCleanup"/>).</summary>
    internal static void TrackCreated(DbSource source)
    {
        foreach (var f in CreatedFiles(source)) OutputCleanup.Track(Path.GetFullPath(f));
    }

    internal static void ForgetCreated(DbSource source)
    {
        foreach (var f in CreatedFiles(source)) OutputCleanup.Forget(Path.GetFullPath(f));
    }

    internal static void DeleteCreated(DbSource source)
    {
        foreach (var leftover in CreatedFiles(source))
            try { File.Delete(leftover); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
