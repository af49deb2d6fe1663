using System.Data.Common;
using DuckDB.NET.Data;
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

    /// <summary>Opens a connection; for reading, a SQLite/DuckDB file must already exist.</summary>
    public DbConnection Open(bool forWriting)
    {
        if (Kind != DbKind.Postgres && !forWriting) FileChecks.EnsureReadable(Target);
        DbConnection connection = Kind switch
        {
            DbKind.Sqlite => new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Target,
                Mode = forWriting ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadOnly,
                Pooling = false, // so the file is released (and can be renamed/deleted) when we are done
            }.ConnectionString),
            DbKind.DuckDb => new DuckDBConnection($"Data Source={Target}"),
            _ => new NpgsqlConnection(Target),
        };
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            connection.Dispose();
            throw new DataSourceException(Kind == DbKind.Postgres ? "db.connect-failed" : "io.unreadable",
                $"Cannot open {Kind} database '{Display}': {e.Message}", file: Display, inner: e);
        }
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
        using var command = connection.CreateCommand();
        command.CommandText = source.ListTablesSql;
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
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
        if (!completed && createdFile)
            foreach (var leftover in new[] { source.Target, source.Target + ".wal", source.Target + "-journal" })
                try { File.Delete(leftover); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
