using System.Data.Common;
using TabTwin.Schema.Relational;

namespace TabTwin.IO;

/// <summary>
/// The tables, primary keys and foreign keys a database declares in its catalogue (SQLite pragmas, DuckDB's
/// <c>duckdb_constraints()</c>, PostgreSQL's <c>pg_constraint</c>), composite keys with their columns in order.
/// Views are not tables here: they hold no rows of their own and declare no keys.
/// </summary>
internal sealed record DbCatalog(IReadOnlyList<string> Tables, IReadOnlyDictionary<string, IReadOnlyList<string>> PrimaryKeys, IReadOnlyList<ForeignKey> ForeignKeys)
{
    // Column lists come back joined by the unit separator, which no real column name holds, so one query shape fits all engines.
    private const char Separator = '\u001f';

    public static DbCatalog Read(DbConnection connection, DbSource source)
    {
        try
        {
            return source.Kind switch
            {
                DbKind.Sqlite => ReadSqlite(connection),
                DbKind.DuckDb => ReadConstraints(connection, DuckDbTables, DuckDbConstraints),
                _ => ReadConstraints(connection, PostgresTables, PostgresConstraints),
            };
        }
        catch (DbException e) when (source.Kind != DbKind.Postgres)
        {
            throw source.NotADatabase(e);
        }
        catch (DbException e)
        {
            throw new DataSourceException("db.query-failed", $"{source.Display}: reading the catalogue (tables and keys) failed: {e.Message}", file: source.Display, inner: e);
        }
    }

    private static DbCatalog ReadSqlite(DbConnection connection)
    {
        var tables = Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var foreign = new List<ForeignKey>();
        foreach (var table in tables)
        {
            keys[table] = Strings(connection, $"SELECT name FROM pragma_table_info({Literal(table)}) WHERE pk > 0 ORDER BY pk");
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list({Literal(table)}) ORDER BY id, seq";
            var rows = new List<(long Id, string Parent, string From, string? To)>();
            using (var reader = command.ExecuteReader())
                while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            foreach (var group in rows.GroupBy(r => r.Id))
            {
                var parent = group.First().Parent;
                // REFERENCES parent without columns means the parent's primary key.
                IReadOnlyList<string> to = group.All(r => r.To is not null) ? [.. group.Select(r => r.To!)]
                    : Strings(connection, $"SELECT name FROM pragma_table_info({Literal(parent)}) WHERE pk > 0 ORDER BY pk");
                foreign.Add(new ForeignKey(table, [.. group.Select(r => r.From)], parent, to));
            }
        }
        return new DbCatalog(tables, keys, foreign);
    }

    private const string DuckDbTables = "SELECT table_name FROM duckdb_tables() WHERE schema_name = current_schema() AND NOT internal ORDER BY table_name";
    private const string DuckDbConstraints = """
        SELECT table_name, constraint_type, array_to_string(constraint_column_names, chr(31)),
               referenced_table, array_to_string(referenced_column_names, chr(31))
        FROM duckdb_constraints()
        WHERE schema_name = current_schema() AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')
        ORDER BY table_name, constraint_index
        """;

    private const string PostgresTables = """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname
        """;
    private const string PostgresConstraints = """
        SELECT t.relname,
               CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'FOREIGN KEY' END,
               array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(num, pos)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.pos), chr(31)),
               f.relname,
               array_to_string(ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(num, pos)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.pos), chr(31))
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        LEFT JOIN pg_class f ON f.oid = c.confrelid
        WHERE n.nspname = current_schema() AND c.contype IN ('p', 'f')
        ORDER BY t.relname, c.conname
        """;

    private static DbCatalog ReadConstraints(DbConnection connection, string tablesSql, string constraintsSql)
    {
        var tables = Strings(connection, tablesSql);
        var keys = tables.ToDictionary(t => t, _ => (IReadOnlyList<string>)[], StringComparer.Ordinal);
        var foreign = new List<ForeignKey>();
        using var command = connection.CreateCommand();
        command.CommandText = constraintsSql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            string table = reader.GetString(0);
            if (!keys.ContainsKey(table)) continue;
            var columns = reader.GetString(2).Split(Separator);
            if (reader.GetString(1) == "PRIMARY KEY") keys[table] = columns;
            else foreign.Add(new ForeignKey(table, columns, reader.GetString(3), reader.GetString(4).Split(Separator)));
        }
        return new DbCatalog(tables, keys, foreign);
    }

    private static List<string> Strings(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    /// <summary>A SQL string literal (table names go into pragma functions, which take no bound parameters in every version).</summary>
    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";
}
