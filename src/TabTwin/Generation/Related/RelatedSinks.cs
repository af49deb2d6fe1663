using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TabTwin.IO;
using TabTwin.Tables;

namespace TabTwin.Generation.Related;

/// <summary>
/// Where related tables stream to: chunks of each table in order, a parent's chunk always before the child chunks that
/// reference it. Nothing is visible until <see cref="Complete"/>; disposing without it abandons the output.
/// </summary>
internal interface IRelatedSink : IDisposable
{
    void Write(string table, Table chunk);
    void Complete();
}

/// <summary>The names, relations and keys a sink needs to lay out the tables (parents first).</summary>
internal sealed record RelatedLayout(IReadOnlyList<string> Order, IReadOnlyList<TableRelation> Relations, IReadOnlyDictionary<string, string> PrimaryKeys);

internal static class RelatedSinks
{
    /// <summary>A database address gets one transaction over all tables; anything else is a folder of <paramref name="fileFormat"/> files.</summary>
    public static IRelatedSink Open(string destination, string fileFormat, RelatedLayout layout, out IReadOnlyList<string> written, bool overwrite = false)
    {
        if (RelatedTablesWriter.IsDatabase(destination))
        {
            var target = DataAddress.Resolve(destination, null);
            written = layout.Order.Select(t => $"{destination} ({t})").ToList();
            return new DatabaseSink(target.Database!, layout, overwrite);
        }
        string extension = fileFormat.Trim().TrimStart('.').ToLowerInvariant();
        if (extension is not ("csv" or "tsv" or "parquet"))
            throw new DataSourceException("io.unknown-format", $"Related tables are written as csv, tsv or parquet files, not '{fileFormat}'.", file: destination);
        var paths = layout.Order.ToDictionary(t => t, t => Path.Combine(destination, t + "." + extension), StringComparer.Ordinal);
        written = layout.Order.Select(t => paths[t]).ToList();
        foreach (var path in written) OutputGuard.CheckFile(path, overwrite);
        return new FolderSink(paths, layout.Order, overwrite);
    }
}

/// <summary>One file per table (each written to a temporary file and renamed into place when all tables are done).</summary>
internal sealed class FolderSink(IReadOnlyDictionary<string, string> paths, IReadOnlyList<string> order, bool overwrite) : IRelatedSink
{
    private readonly Dictionary<string, ITableSink> _sinks = new(StringComparer.Ordinal);

    public void Write(string table, Table chunk)
    {
        if (!_sinks.TryGetValue(table, out var sink)) _sinks[table] = sink = TableSinks.Open(paths[table], new WriteOptions { Overwrite = overwrite });
        sink.Write(chunk);
    }

    public void Complete()
    {
        foreach (var name in order) _sinks[name].Complete();
    }

    public void Dispose()
    {
        foreach (var sink in _sinks.Values) sink.Dispose();
    }
}

/// <summary>Tables kept in memory (the whole-table API).</summary>
internal sealed class MemorySink : IRelatedSink
{
    private readonly Dictionary<string, List<Table>> _chunks = new(StringComparer.Ordinal);

    public void Write(string table, Table chunk)
    {
        if (!_chunks.TryGetValue(table, out var list)) _chunks[table] = list = [];
        list.Add(chunk);
    }

    public void Complete() { }

    public Dictionary<string, Table> Tables() => _chunks.ToDictionary(p => p.Key, p => TableConcat.Rows(p.Value.Where(t => t.RowCount > 0).DefaultIfEmpty(p.Value[0]).ToList()), StringComparer.Ordinal);

    public void Dispose() { }
}

/// <summary>
/// All tables in one database transaction on one connection: existing tables of the same names are an error, or with overwrite dropped (children
/// first), each table is created at its first chunk with its PRIMARY KEY and FOREIGN KEY constraints (parents are
/// created first), and rows go in parents before children, so the constraints hold at every insert. One transaction
/// because a child's key check must see its parents' rows, which another transaction could not before committing.
/// </summary>
internal sealed class DatabaseSink : IRelatedSink
{
    private readonly DbSource _source;
    private readonly RelatedLayout _layout;
    private readonly bool _createsFile;
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private bool _completed;

    private readonly bool _overwrite;

    public DatabaseSink(DbSource source, RelatedLayout layout, bool overwrite)
    {
        _source = source;
        _layout = layout;
        _overwrite = overwrite;
        _createsFile = source.Kind != DbKind.Postgres && !File.Exists(source.Target);
        try
        {
            Guard(Prepare, "preparing the tables");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private void Prepare()
    {
        _connection = _source.Open(forWriting: true);
        _transaction = _connection.BeginTransaction();
        var existing = DbSource.ListTables(_connection, _source);
        if (!_overwrite && _layout.Order.FirstOrDefault(n => existing.Contains(n, StringComparer.Ordinal)) is { } taken)
            throw OutputGuard.TableExists(_source, taken);
        foreach (var name in _layout.Order.Reverse().Where(n => existing.Contains(n, StringComparer.Ordinal)))
            DbTableWriter.Execute(_connection, _transaction, "DROP TABLE " + DbSource.Quote(name));
    }

    public void Write(string table, Table chunk) => Guard(() =>
    {
        if (_created.Add(table)) Create(table, chunk);
        if (chunk.RowCount == 0) return;
        switch (_source.Kind)
        {
            case DbKind.Sqlite: DbTableWriter.InsertSqlite(chunk, (SqliteConnection)_connection!, (SqliteTransaction)_transaction!, table); break;
            case DbKind.DuckDb: DuckDbSupport.Require(_source.Display).Append(chunk, _connection!, table); break;
            default: DbTableWriter.CopyPostgres(chunk, (NpgsqlConnection)_connection!, table); break;
        }
    }, $"writing table '{table}'");

    private void Create(string table, Table first)
    {
        var columns = first.Columns.Select(c => DbSource.Quote(c.Name) + " " + DbTableWriter.SqlType(c, _source.Kind)).ToList();
        if (_layout.PrimaryKeys.GetValueOrDefault(table) is { } key) columns.Add($"PRIMARY KEY ({DbSource.Quote(key)})");
        foreach (var r in _layout.Relations.Where(r => r.Child == table))
            columns.Add($"FOREIGN KEY ({DbSource.Quote(r.ForeignKey)}) REFERENCES {DbSource.Quote(r.Parent)} ({DbSource.Quote(r.Key)})");
        DbTableWriter.Execute(_connection!, _transaction!, $"CREATE TABLE {DbSource.Quote(table)} ({string.Join(", ", columns)})");
    }

    public void Complete()
    {
        if (_completed) return;
        Guard(() => _transaction!.Commit(), "committing");
        _completed = true;
    }

    private void Guard(Action action, string what)
    {
        try { action(); }
        catch (DbException e)
        {
            throw new DataSourceException("db.write-failed", $"{_source.Display}: {what} failed: {e.Message}", file: _source.Display, inner: e);
        }
    }

    public void Dispose()
    {
        DbSource.ReleaseWrite(_connection, _transaction, _completed, _source, _createsFile);
        _connection = null;
    }
}
