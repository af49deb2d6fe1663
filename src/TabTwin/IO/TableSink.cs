using System.Data.Common;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// A destination that takes a table chunk by chunk (same columns every time) in constant memory: CSV/TSV and Parquet
/// files (written to a temporary file and renamed into place by <see cref="Complete"/>), or a database table (one
/// transaction, committed by <see cref="Complete"/>). Disposing without <see cref="Complete"/> abandons the output:
/// the temporary file is deleted or the transaction rolled back, so no half-written result remains.
/// </summary>
public interface ITableSink : IDisposable
{
    /// <summary>Appends the rows of <paramref name="chunk"/> (the first chunk fixes the columns and their types).</summary>
    void Write(Table chunk);
    /// <summary>Finishes the output (writes footers, renames into place, commits). Call once, after the last chunk.</summary>
    void Complete();
    /// <summary>Rows written so far.</summary>
    long RowsWritten { get; }
}

/// <summary>Opens <see cref="ITableSink"/>s for destinations addressed like <see cref="TableWriter.Write"/>.</summary>
public static class TableSinks
{
    /// <summary>
    /// A sink for <paramref name="destination"/> (a .csv/.tsv/.parquet path, a .db/.sqlite/.duckdb file, sqlite:/duckdb:/pg:
    /// prefixes or a postgres:// URL). For databases <see cref="WriteOptions.TableName"/> names the table (default "data");
    /// several sinks may write different tables of the same database one after the other.
    /// </summary>
    /// <param name="destination">Where to write: a path, a prefixed database address or a postgres:// URL.</param>
    /// <param name="options">Table name, format and other write options; null for the defaults.</param>
    /// <param name="csvHeader">Whether delimited text starts with a header row (shards after the first may leave it out).</param>
    public static ITableSink Open(string destination, WriteOptions? options = null, bool csvHeader = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        options ??= new WriteOptions();
        var target = DataAddress.Resolve(destination, options.Format);
        return target.Format switch
        {
            DataFormat.Csv => new CsvTableSink(target.Path, options.Delimiter ?? ',', csvHeader, options.Overwrite) { ExpectedRows = options.ExpectedRows },
            DataFormat.Tsv => new CsvTableSink(target.Path, options.Delimiter ?? '\t', csvHeader, options.Overwrite) { ExpectedRows = options.ExpectedRows },
            DataFormat.Parquet => new ParquetTableSink(target.Path, options.Overwrite) { ExpectedRows = options.ExpectedRows },
            _ => new DbTableSink(target.Database!, options),
        };
    }
}

/// <summary>Temporary-file-then-rename handling shared by the file sinks (see <see cref="AtomicFile"/>).</summary>
internal abstract class FileTableSink : ITableSink
{
    protected FileTableSink(string path, bool overwrite)
    {
        Path = path;
        var full = AtomicFile.FinalTarget(path);   // a symbolic link is written through, not replaced
        if (!overwrite && File.Exists(full))
            throw new DataSourceException("io.exists", $"Cannot write '{path}': the file already exists.", file: path,
                hint: "Pass --overwrite to replace it (library: WriteOptions.Overwrite), or choose another path.");
        FullPath = full;
        TempPath = AtomicFile.CreateTempBeside(full, path);
    }

    protected string Path { get; }
    protected string FullPath { get; }
    protected string TempPath { get; }
    private bool _completed, _disposed;
    public long RowsWritten { get; protected set; }

    /// <summary>Rows the finished file will hold, when known: the first chunk's width times this is checked against the free space.</summary>
    public long? ExpectedRows { get; init; }

    public void Write(Table chunk)
    {
        if (RowsWritten == 0 && ExpectedRows is { } rows && chunk.RowCount > 0)
            SpaceCheck.Ensure(Path, SpaceCheck.Estimate(chunk, rows, this is ParquetTableSink), rows);
        try
        {
            WriteChunk(chunk);
        }
        catch (Exception e) when (AtomicFile.IsWriteFailure(e))
        {
            throw AtomicFile.Unwritable(Path, e);
        }
    }

    protected abstract void WriteChunk(Table chunk);
    protected abstract void Finish();
    protected abstract void Close();

    public void Complete()
    {
        if (_completed) return;
        try
        {
            Finish();
            Close();
            File.Move(TempPath, FullPath, overwrite: true);
            _completed = true;
            OutputCleanup.Forget(TempPath);
        }
        catch (Exception e) when (AtomicFile.IsWriteFailure(e))
        {
            throw AtomicFile.Unwritable(Path, e);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_completed) return;
        try { Close(); } catch (Exception) { /* abandoning: the temp file is deleted next */ }
        AtomicFile.TryDelete(TempPath);
        OutputCleanup.Forget(TempPath);
    }
}

/// <summary>A database table filled chunk by chunk inside one transaction (created from the first chunk's columns).</summary>
internal sealed class DbTableSink : ITableSink
{
    private readonly DbSource _source;
    private readonly WriteOptions _options;
    private readonly string _tableName;
    private readonly bool _createsFile;
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private bool _completed;

    public DbTableSink(DbSource source, WriteOptions options)
    {
        _source = source;
        _options = options;
        _tableName = options.TableName ?? "data";
        _createsFile = source.Kind != DbKind.Postgres && !File.Exists(source.Target);
        if (_createsFile) DbSource.TrackCreated(source);
    }

    public long RowsWritten { get; private set; }

    public void Write(Table chunk)
    {
        try
        {
            if (_connection is null) Create(chunk);
            switch (_source.Kind)
            {
                case DbKind.Sqlite: DbTableWriter.InsertSqlite(chunk, (Microsoft.Data.Sqlite.SqliteConnection)_connection!, (Microsoft.Data.Sqlite.SqliteTransaction)_transaction!, _tableName); break;
                case DbKind.DuckDb: DuckDbSupport.Require(_source.Display).Append(chunk, _connection!, _tableName); break;
                default: DbTableWriter.CopyPostgres(chunk, (Npgsql.NpgsqlConnection)_connection!, _tableName); break;
            }
            RowsWritten += chunk.RowCount;
        }
        catch (DbException e)
        {
            throw new DataSourceException("db.write-failed", $"{_source.Display}: writing table '{_tableName}' failed: {e.Message}", file: _source.Display, inner: e);
        }
    }

    private void Create(Table first)
    {
        _connection = _source.Open(forWriting: true);
        bool exists = DbSource.ListTables(_connection, _source).Contains(_tableName, StringComparer.Ordinal);
        if (exists && !_options.Overwrite && !_options.Append) throw OutputGuard.TableExists(_source, _tableName);
        _transaction = _connection.BeginTransaction();
        if (exists && _options.Append)
        {
            DbTableWriter.CheckAppendColumns(_connection, _transaction, _source, _tableName, first.ColumnNames);
            return;
        }
        if (exists) DbTableWriter.Execute(_connection, _transaction, "DROP TABLE " + DbSource.Quote(_tableName));
        var columnsSql = first.Columns.Select(c => DbSource.Quote(c.Name) + " " + DbTableWriter.SqlType(c, _source.Kind));
        DbTableWriter.Execute(_connection, _transaction, $"CREATE TABLE {DbSource.Quote(_tableName)} ({string.Join(", ", columnsSql)})");
    }

    public void Complete()
    {
        if (_completed) return;
        try
        {
            _transaction?.Commit();
            _completed = true;
        }
        catch (DbException e)
        {
            throw new DataSourceException("db.write-failed", $"{_source.Display}: committing table '{_tableName}' failed: {e.Message}", file: _source.Display, inner: e);
        }
    }

    public void Dispose()
    {
        DbSource.ReleaseWrite(_connection, _transaction, _completed, _source, _createsFile);
        _connection = null;
    }
}
