using System.Data.Common;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>Reads a whole table or a query result from SQLite, DuckDB or PostgreSQL through ADO.NET.</summary>
internal static class DbTableReader
{
    /// <summary>
    /// The SQL that reads what <paramref name="options"/> names: its query as given, else the table (the only one when the
    /// database holds one), ordered by its primary key when <paramref name="orderByKey"/> and it declares one.
    /// </summary>
    public static string Sql(DbConnection connection, DbSource source, ReadOptions options, bool orderByKey)
    {
        if (options.Query is { Length: > 0 } query) return query;
        var tables = DbSource.ListTables(connection, source);
        string table = options.TableName ?? (tables.Count == 1
            ? tables[0]
            : throw new DataSourceException("db.table-required",
                tables.Count == 0
                    ? $"{source.Display} holds no tables."
                    : $"{source.Display} holds {tables.Count} tables ({string.Join(", ", tables)}): say which one to read.",
                file: source.Display, hint: "Set ReadOptions.TableName (CLI: --table) or ReadOptions.Query."));
        if (!tables.Contains(table, StringComparer.Ordinal))
            throw new DataSourceException("db.table-not-found",
                $"{source.Display} has no table '{table}'; it has: {(tables.Count == 0 ? "(none)" : string.Join(", ", tables))}.",
                file: source.Display);
        string sql = "SELECT * FROM " + DbSource.Quote(table);
        if (orderByKey && DbCatalog.Read(connection, source).PrimaryKeys.GetValueOrDefault(table) is { Count: > 0 } key)
            sql += " ORDER BY " + string.Join(", ", key.Select(DbSource.Quote));
        return sql;
    }

    public static Table Read(DbSource source, ReadOptions options)
    {
        if (options.Query is { Length: > 0 } query) SqlQueryGuard.Check(query, source.Display, source.Kind);
        using var connection = source.Open(forWriting: false);
        string sql = Sql(connection, source, options, orderByKey: false);

        using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            using var reader = command.ExecuteReader();
            int fieldCount = reader.FieldCount;
            var names = new string[fieldCount];
            var dbTypes = new string[fieldCount];
            var values = new DbColumnBuffer[fieldCount];
            for (int c = 0; c < fieldCount; c++)
            {
                names[c] = reader.GetName(c);
                dbTypes[c] = reader.GetDataTypeName(c);
                values[c] = new DbColumnBuffer();
            }
            while (reader.Read())
                for (int c = 0; c < fieldCount; c++)
                    values[c].Add(reader, c);
            if (fieldCount == 0 || values[0].Count == 0)
                throw new DataSourceException("table.empty", $"{source.Display}: the {(options.Query is null ? "table" : "query")} returned no rows.", file: source.Display);
            var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new DataSourceException("db.duplicate-column", $"{source.Display}: the result has two columns named '{duplicate.Key}'.",
                    column: duplicate.Key, file: source.Display, hint: "Give the columns distinct aliases in the query.");
            var columns = new Column[fieldCount];
            for (int c = 0; c < fieldCount; c++)
                columns[c] = DbColumnConverter.Convert(names[c], dbTypes[c], values[c], options, source.Display);
            return new Table(columns);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // InvalidOperationException: the provider refusing the query before the engine sees it (e.g. unbound parameters).
            throw new DataSourceException("db.query-failed", $"{source.Display}: the query failed: {e.Message}", file: source.Display, inner: e);
        }
        catch (InvalidCastException e)
        {
            throw new DataSourceException("db.unsupported-type", $"{source.Display}: a column has a type TabTwin cannot read: {e.Message}", file: source.Display, inner: e);
        }
    }
}
