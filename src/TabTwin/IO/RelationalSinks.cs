using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TabTwin.Schema.Relational;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Where the tables of one database stream to: chunks of each table, a parent's rows always before the child rows that
/// reference them. Nothing is visible until <see cref="Complete"/>; disposing without it abandons the output.
/// Used by <see cref="RelationalSink"/> and by <c>generate</c>'s related tables.
/// </summary>
internal interface IRelationalSink : IDisposable
{
    void Write(string table, Table chunk);
    void Complete();
}

internal static class RelationalSinks
{
    /// <summary>Whether <paramref name="destination"/> names a database (not a folder, existing or ending in a separator).</summary>
    public static bool IsDatabase(string destination)
    {
        if (destination.EndsWith('/') || destination.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(destination)) return false;
        try { return DataAddress.Resolve(destination, null).Format == DataFormat.Database; }
        catch (DataSourceException) { return false; }
    }

    /// <summary>
    /// A database address gets one transaction over all tables; anything else is a folder of <paramref name="fileFormat"/>
    /// files, plus <paramref name="metadataJson"/> as <c>metadata.json</c> when given. Existing outputs are checked before
    /// anything is written: an error unless <paramref name="overwrite"/>.
    /// </summary>
    public static IRelationalSink Open(string destination, string fileFormat, DatabaseMetadata layout, out IReadOnlyList<string> written,
        bool overwrite = false, string? metadataJson = null)
    {
        if (IsDatabase(destination))
        {
            var target = DataAddress.Resolve(destination, null);
            written = layout.ParentsFirst.Select(t => $"{destination} ({t})").ToList();
            return new RelationalDatabaseSink(target.Database!, layout, overwrite);
        }
        string extension = fileFormat.Trim().TrimStart('.').ToLowerInvariant();
        if (extension is not ("csv" or "tsv" or "parquet"))
            throw new DataSourceException("io.unknown-format", $"Database tables are written to a folder as csv, tsv or parquet files, not '{fileFormat}'.", file: destination);
        var paths = layout.ParentsFirst.ToDictionary(t => t, t => Path.Combine(destination, t + "." + extension), StringComparer.Ordinal);
        var list = layout.ParentsFirst.Select(t => paths[t]).ToList();
        string? metadataPath = metadataJson is null ? null : Path.Combine(destination, "metadata.json");
        if (metadataPath is not null) list.Add(metadataPath);
        foreach (var path in list) OutputGuard.CheckFile(path, overwrite);
        written = list;
        return new RelationalFolderSink(paths, layout.ParentsFirst, overwrite, metadataPath, metadataJson);
    }
}

/// <summary>One file per table (each written to a temporary file and renamed into place only when every table is done).</summary>
internal sealed class RelationalFolderSink(IReadOnlyDictionary<string, string> paths, IReadOnlyList<string> order, bool overwrite,
    string? metadataPath = null, string? metadataJson = null) : IRelationalSink
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
        if (metadataPath is not null) AtomicFile.WriteAllText(metadataPath, metadataJson!, overwrite);
    }

    public void Dispose()
    {
        foreach (var sink in _sinks.Values) sink.Dispose();
    }
}

/// <summary>
/// All tables in one database transaction on one connection: existing tables of the same names are an error, or with
/// overwrite dropped (children first); each table is created at its first chunk with its PRIMARY KEY, the UNIQUE keys
/// its children reference and its FOREIGN KEY constraints (composite ones included), parents first, and rows go in
/// parents before children, so the database checks and accepts every row. SQLite is told to enforce foreign keys. A
/// table referencing itself is loaded referenced rows first; rows on a reference cycle go in with the reference missing
/// and are updated after. One transaction because a child's key check must see its parents' rows.
/// </summary>
internal sealed class RelationalDatabaseSink : IRelationalSink
{
    private readonly DbSource _source;
    private readonly DatabaseMetadata _layout;
    private readonly bool _overwrite;
    private readonly bool _createsFile;
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private bool _completed;

    public RelationalDatabaseSink(DbSource source, DatabaseMetadata layout, bool overwrite)
    {
        _source = source;
        _layout = layout;
        _overwrite = overwrite;
        _createsFile = source.Kind != DbKind.Postgres && !File.Exists(source.Target);
        if (_createsFile) DbSource.TrackCreated(source);
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
        if (_source.Kind == DbKind.Sqlite)
        {
            // SQLite checks foreign keys only when asked, per connection and outside a transaction.
            using var pragma = _connection.CreateCommand();
            pragma.CommandText = "PRAGMA foreign_keys = ON";
            pragma.ExecuteNonQuery();
        }
        _transaction = _connection.BeginTransaction();
        var existing = DbSource.ListTables(_connection, _source);
        if (!_overwrite && _layout.ParentsFirst.FirstOrDefault(n => existing.Contains(n, StringComparer.Ordinal)) is { } taken)
            throw OutputGuard.TableExists(_source, taken);
        foreach (var name in _layout.ParentsFirst.Reverse().Where(n => existing.Contains(n, StringComparer.Ordinal)))
            DbTableWriter.Execute(_connection, _transaction, "DROP TABLE " + DbSource.Quote(name));
    }

    public void Write(string table, Table chunk) => Guard(() =>
    {
        if (_created.Add(table)) Create(table, chunk);
        if (chunk.RowCount == 0) return;
        var selfReferences = _layout.ParentsOf(table).Where(f => f.IsSelfReference).ToList();
        if (selfReferences.Count == 0) { Insert(table, chunk); return; }
        var (levels, onCycle) = SelfReferenceOrder.Of(chunk, selfReferences);
        foreach (var level in levels) Insert(table, chunk.Take(level));
        if (onCycle.Length == 0) return;
        // DuckDB updates a row as delete + insert, which a row on a cycle (always referenced by another) cannot pass.
        if (_source.Kind == DbKind.DuckDb)
            throw new DataSourceException("db.self-reference-cycle",
                $"{_source.Display}: table '{table}' has {onCycle.Length:N0} rows whose references through {string.Join("; ", selfReferences)} form a cycle or hang below one (e.g. row {onCycle[0] + 1}); DuckDB cannot load such rows with the FOREIGN KEY declared.",
                file: _source.Display, hint: "Write to SQLite, PostgreSQL or a folder, or break the cycle (a row at the top of a hierarchy references nothing).");
        var cycle = chunk.Take(onCycle);
        var referencing = selfReferences.SelectMany(f => f.ChildColumns).ToHashSet(StringComparer.Ordinal);
        var nothing = Enumerable.Repeat(true, cycle.RowCount).ToArray();
        Insert(table, new Table(cycle.Columns.Select(c => referencing.Contains(c.Name) ? KeyValues.Blank(c, nothing) : c)));
        foreach (var fk in selfReferences) SetReferences(table, cycle, fk);
    }, $"writing table '{table}'");

    private void Insert(string table, Table rows)
    {
        switch (_source.Kind)
        {
            case DbKind.Sqlite: DbTableWriter.InsertSqlite(rows, (SqliteConnection)_connection!, (SqliteTransaction)_transaction!, table); break;
            case DbKind.DuckDb: DuckDbSupport.Require(_source.Display).Append(rows, _connection!, table); break;
            default: DbTableWriter.CopyPostgres(rows, (NpgsqlConnection)_connection!, table); break;
        }
    }

    /// <summary>UPDATE table SET child columns = the row's values WHERE the row's own referenced key matches (one statement per row).</summary>
    private void SetReferences(string table, Table rows, ForeignKey fk)
    {
        int p = 0;
        string Next() => _source.Kind == DbKind.Sqlite ? "$p" + p++ : "$" + ++p;
        var set = string.Join(", ", fk.ChildColumns.Select(c => $"{DbSource.Quote(c)} = {Next()}"));
        var where = string.Join(" AND ", fk.ParentColumns.Select(c => $"{DbSource.Quote(c)} = {Next()}"));
        var columns = fk.ChildColumns.Concat(fk.ParentColumns).Select(c => rows[c]).ToArray();
        for (int r = 0; r < rows.RowCount; r++)
        {
            using var command = _connection!.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = $"UPDATE {DbSource.Quote(table)} SET {set} WHERE {where}";
            for (int c = 0; c < columns.Length; c++)
            {
                var parameter = command.CreateParameter();
                if (_source.Kind == DbKind.Sqlite) parameter.ParameterName = "$p" + c;
                parameter.Value = DbTableWriter.DbValue(columns[c], r, _source.Kind) ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            command.ExecuteNonQuery();
        }
    }

    private void Create(string table, Table first)
    {
        string Columns(IEnumerable<string> names) => string.Join(", ", names.Select(DbSource.Quote));
        var columns = first.Columns.Select(c => DbSource.Quote(c.Name) + " " + DbTableWriter.SqlType(c, _source.Kind)).ToList();
        var key = _layout.PrimaryKeys.GetValueOrDefault(table) ?? [];
        if (key.Count > 0) columns.Add($"PRIMARY KEY ({Columns(key)})");
        // A key a child references must be declared unique (engines refuse a foreign key to columns that are not).
        foreach (var unique in _layout.ChildrenOf(table).Select(f => f.ParentColumns).Where(k => !k.SequenceEqual(key)).DistinctBy(k => string.Join('\u001f', k)))
            columns.Add($"UNIQUE ({Columns(unique)})");
        foreach (var fk in _layout.ParentsOf(table))
            columns.Add($"FOREIGN KEY ({Columns(fk.ChildColumns)}) REFERENCES {DbSource.Quote(fk.ParentTable)} ({Columns(fk.ParentColumns)})");
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
            throw new DataSourceException("db.write-failed", $"{_source.Display}: {what} failed: {e.Message}", file: _source.Display, inner: e,
                hint: "The database checks every key: a row whose foreign key names no parent row (an orphan) or a repeated key is refused.");
        }
    }

    public void Dispose()
    {
        DbSource.ReleaseWrite(_connection, _transaction, _completed, _source, _createsFile);
        _connection = null;
    }
}
