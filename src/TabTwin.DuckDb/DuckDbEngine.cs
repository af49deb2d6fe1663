using System.Data.Common;
using DuckDB.NET.Data;
using TabTwin.IO;
using TabTwin.Tables;

namespace TabTwin.DuckDb;

/// <summary>
/// DuckDB for TabTwin's database reader and writers: DuckDB.NET connections and its appender. Created by the core
/// (<see cref="DuckDbSupport"/>) when this assembly is among the program's dependencies.
/// </summary>
internal sealed class DuckDbEngine : IDuckDbEngine
{
    public DbConnection CreateConnection(string connectionString) => new DuckDBConnection(connectionString);

    /// <summary>Column types as <c>DbTableWriter.SqlType</c> created them: whole numbers as BIGINT, native booleans and timestamps.</summary>
    public void Append(Table table, DbConnection connection, string tableName)
    {
        var columns = table.Columns;
        var asInt = columns.Select(c => c is NumericColumn n && DbTableWriter.FitsInt64(n)).ToArray();
        using var appender = ((DuckDBConnection)connection).CreateAppender(tableName);
        for (int r = 0; r < table.RowCount; r++)
        {
            var row = appender.CreateRow();
            for (int c = 0; c < columns.Count; c++)
            {
                var column = columns[c];
                if (column.Missing[r]) { row.AppendNullValue(); continue; }
                switch (column)
                {
                    case NumericColumn n when asInt[c]: row.AppendValue((long)n[r]); break;
                    case NumericColumn n: row.AppendValue(n[r]); break;
                    case BooleanColumn b: row.AppendValue(b[r]); break;
                    case DateTimeColumn d when d.HasOffset: row.AppendValue((DateTimeOffset)d.GetValue(r)!); break;
                    case DateTimeColumn d: row.AppendValue(d.DateTimeAt(r)); break;
                    default: row.AppendValue(column.FormatValue(r)); break;
                }
            }
            row.EndRow();
        }
        appender.Close();
    }
}
