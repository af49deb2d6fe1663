using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Creates a table and fills it in one transaction: prepared, reused INSERT for SQLite, the appender for
/// DuckDB, binary COPY for PostgreSQL. Column types: integer numbers → BIGINT (SQLite INTEGER), other numbers
/// → DOUBLE, categorical/text → TEXT. DuckDB/PostgreSQL use native BOOLEAN, DATE, TIMESTAMP and TIMESTAMPTZ
/// (per-row offsets become instants; boolean spellings and datetime formats are not kept there). SQLite has no
/// such types, so booleans and datetimes are stored as their formatted text, which reads back exactly.
/// </summary>
internal static class DbTableWriter
{
    public static void Write(Table table, DbSource source, WriteOptions options)
    {
        string tableName = options.TableName ?? "data";
        // A database file this write creates is removed again if the write fails, so no empty file is left behind.
        bool createsFile = source.Kind != DbKind.Postgres && !File.Exists(source.Target);
        if (createsFile) DbSource.TrackCreated(source);
        try
        {
            WriteTable(table, source, options, tableName);
        }
        catch when (createsFile)
        {
            DbSource.DeleteCreated(source);
            throw;
        }
        finally
        {
            if (createsFile) DbSource.ForgetCreated(source);
        }
    }

    private static void WriteTable(Table table, DbSource source, WriteOptions options, string tableName)
    {
        using var connection = source.Open(forWriting: true);
        bool exists = DbSource.ListTables(connection, source).Contains(tableName, StringComparer.Ordinal);
        if (exists && !options.Overwrite && !options.Append) throw OutputGuard.TableExists(source, tableName);
        try
        {
            using var transaction = connection.BeginTransaction();
            if (exists && options.Append) CheckAppendColumns(connection, transaction, source, tableName, table.ColumnNames);
            else
            {
                if (exists) Execute(connection, transaction, "DROP TABLE " + DbSource.Quote(tableName));
                var columnsSql = table.Columns.Select(c => DbSource.Quote(c.Name) + " " + SqlType(c, source.Kind)).ToList();
                if (options.PrimaryKey is { } key) columnsSql.Add($"PRIMARY KEY ({DbSource.Quote(key)})");
                foreach (var fk in options.ForeignKeys)
                    columnsSql.Add($"FOREIGN KEY ({DbSource.Quote(fk.Column)}) REFERENCES {DbSource.Quote(fk.ReferencedTable)} ({DbSource.Quote(fk.ReferencedColumn)})");
                Execute(connection, transaction, $"CREATE TABLE {DbSource.Quote(tableName)} ({string.Join(", ", columnsSql)})");
            }
            switch (source.Kind)
            {
                case DbKind.Sqlite: InsertSqlite(table, (SqliteConnection)connection, (SqliteTransaction)transaction, tableName); break;
                case DbKind.DuckDb: DuckDbSupport.Require(source.Display).Append(table, connection, tableName); break;
                default: CopyPostgres(table, (NpgsqlConnection)connection, tableName); break;
            }
            transaction.Commit();
        }
        catch (DbException e)
        {
            throw new DataSourceException("db.write-failed", $"{source.Display}: writing table '{tableName}' failed: {e.Message}", file: source.Display, inner: e);
        }
    }

    /// <summary>Appending inserts by position, so the existing table must have exactly these columns in this order.</summary>
    internal static void CheckAppendColumns(DbConnection connection, DbTransaction? transaction, DbSource source, string tableName, IEnumerable<string> names)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT * FROM {DbSource.Quote(tableName)} WHERE 1 = 0";
        using var reader = command.ExecuteReader();
        var existing = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        if (!existing.SequenceEqual(names, StringComparer.Ordinal))
            throw new DataSourceException("db.append-mismatch",
                $"{source.Display}: cannot append to '{tableName}': it has the columns ({string.Join(", ", existing)}), the new rows have ({string.Join(", ", names)}).",
                file: source.Display, hint: "Append only tables with the same columns in the same order, or write another table.");
    }

    internal static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static bool FitsInt64(NumericColumn n)
    {
        if (!n.IsInteger) return false;
        for (int i = 0; i < n.Length; i++)
            if (!n.Missing[i] && Math.Abs(n[i]) > ValueShapes.MaxExactInteger) return false;
        return true;
    }

    /// <summary>One value as a command parameter, stored as <see cref="InsertSqlite"/> and <see cref="CopyPostgres"/> store it; null when missing.</summary>
    internal static object? DbValue(Column column, int row, DbKind kind) => column.Missing[row] ? null : (column, kind) switch
    {
        (NumericColumn n, _) when n.IsInteger && Math.Abs(n[row]) <= ValueShapes.MaxExactInteger => (long)n[row],
        (NumericColumn n, _) => n[row],
        (BooleanColumn b, not DbKind.Sqlite) => b[row],
        (DateTimeColumn d, not DbKind.Sqlite) when !d.HasOffset => d.DateTimeAt(row),
        _ => column.FormatValue(row),
    };

    internal static string SqlType(Column column, DbKind kind) => (column, kind) switch
    {
        (NumericColumn n, DbKind.Sqlite) => FitsInt64(n) ? "INTEGER" : "REAL",
        (NumericColumn n, _) => FitsInt64(n) ? "BIGINT" : "DOUBLE PRECISION",
        (BooleanColumn or DateTimeColumn, DbKind.Sqlite) => "TEXT",
        (BooleanColumn, _) => "BOOLEAN",
        (DateTimeColumn d, _) when d.HasOffset => kind == DbKind.Postgres ? "TIMESTAMPTZ" : "TIMESTAMP WITH TIME ZONE",
        (DateTimeColumn d, _) when d.IsDateOnly => "DATE",
        (DateTimeColumn, _) => "TIMESTAMP",
        (_, DbKind.DuckDb) => "VARCHAR",
        _ => "TEXT",
    };

    internal static void InsertSqlite(Table table, SqliteConnection connection, SqliteTransaction transaction, string tableName)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var names = table.Columns.Select((_, i) => "$p" + i).ToArray();
        command.CommandText = $"INSERT INTO {DbSource.Quote(tableName)} VALUES ({string.Join(", ", names)})";
        var parameters = names.Select(n => command.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        command.Prepare();
        var columns = table.Columns;
        var asInt = columns.Select(c => c is NumericColumn n && FitsInt64(n)).ToArray();
        for (int r = 0; r < table.RowCount; r++)
        {
            for (int c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                parameters[c].Value = column.Missing[r] ? DBNull.Value : column switch
                {
                    NumericColumn n when asInt[c] => (long)n[r],
                    NumericColumn n => n[r],
                    _ => column.FormatValue(r)!,
                };
            }
            command.ExecuteNonQuery();
        }
    }

    internal static void CopyPostgres(Table table, NpgsqlConnection connection, string tableName)
    {
        var columns = table.Columns;
        var asInt = columns.Select(c => c is NumericColumn n && FitsInt64(n)).ToArray();
        var list = string.Join(", ", columns.Select(c => DbSource.Quote(c.Name)));
        using var importer = connection.BeginBinaryImport($"COPY {DbSource.Quote(tableName)} ({list}) FROM STDIN (FORMAT BINARY)");
        for (int r = 0; r < table.RowCount; r++)
        {
            importer.StartRow();
            for (int c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                if (column.Missing[r]) { importer.WriteNull(); continue; }
                switch (column)
                {
                    case NumericColumn n when asInt[c]: importer.Write((long)n[r], NpgsqlDbType.Bigint); break;
                    case NumericColumn n: importer.Write(n[r], NpgsqlDbType.Double); break;
                    case BooleanColumn b: importer.Write(b[r], NpgsqlDbType.Boolean); break;
                    case DateTimeColumn d when d.HasOffset:
                        importer.Write(new DateTime(d.Ticks[r] - d.OffsetMinutes[r] * TimeSpan.TicksPerMinute, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
                        break;
                    case DateTimeColumn d when d.IsDateOnly: importer.Write(DateOnly.FromDateTime(d.DateTimeAt(r)), NpgsqlDbType.Date); break;
                    case DateTimeColumn d: importer.Write(d.DateTimeAt(r), NpgsqlDbType.Timestamp); break;
                    default: importer.Write(column.FormatValue(r)!, NpgsqlDbType.Text); break;
                }
            }
        }
        importer.Complete();
    }
}
