using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Reads a table from a file or a database.
/// <para>Source addressing (first match wins):</para>
/// <list type="number">
/// <item><c>sqlite:&lt;path&gt;</c> and <c>duckdb:&lt;path&gt;</c>: a SQLite / DuckDB database file.</item>
/// <item><c>postgres://user:pass@host:port/db</c> or <c>postgresql://…</c> (query parameters become Npgsql
/// settings, e.g. <c>?sslmode=disable</c>), or <c>pg:</c> followed by an Npgsql connection string
/// (<c>pg:Host=…;Username=…;Password=…;Database=…</c>): PostgreSQL.</item>
/// <item>Anything else is a file path. <see cref="ReadOptions.Format"/> (csv, tsv, parquet, sqlite, duckdb) forces the
/// format; otherwise the extension decides: .csv and .txt → delimited text with detected delimiter, .tsv and .tab →
/// tab-separated (unless <see cref="ReadOptions.Delimiter"/> says otherwise), .parquet → Parquet, .db .sqlite .sqlite3 →
/// SQLite, .duckdb → DuckDB.</item>
/// </list>
/// For databases <see cref="ReadOptions.Query"/> (a SQL query) or <see cref="ReadOptions.TableName"/> chooses what to read;
/// a SQLite/DuckDB file (or PostgreSQL schema) holding exactly one table needs neither.
/// Errors are <see cref="DataSourceException"/>s with codes such as io.not-found, io.unreadable, io.unknown-format,
/// csv.ragged-row, table.empty, db.table-required, db.unsupported-type.
/// </summary>
public static class TableReader
{
    /// <summary>
    /// How to show a source or destination to a person: a file's full path, or a database named without its
    /// password (the same resolution rules as <see cref="Read"/>). Never throws; an unresolvable address is shown as given.
    /// </summary>
    public static string Describe(string address, string? format = null)
    {
        try
        {
            var resolved = DataAddress.Resolve(address, format);
            return resolved.Database?.Display ?? System.IO.Path.GetFullPath(resolved.Path);
        }
        catch (DataSourceException)
        {
            return address;
        }
    }

    /// <summary>Whether <paramref name="address"/> names a database (not a file format); false when it cannot be resolved.</summary>
    public static bool IsDatabase(string address, string? format = null)
    {
        try { return DataAddress.Resolve(address, format).Database is not null; }
        catch (DataSourceException) { return false; }
    }

    /// <summary>A damaged Parquet file makes the reader throw (ParquetException and others): that is a coded error naming the file.</summary>
    private static Table ReadParquet(string path, Action<string>? warning) => GuardParquet(path, () => ParquetTableReader.Read(path, warning));

    /// <summary>Runs a Parquet read, turning the reader's own failures into <c>parquet.unreadable</c> naming the file.</summary>
    internal static T GuardParquet<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is ParquetSharp.ParquetException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException)
        {
            // ParquetSharp reports damaged pages and row counts that do not add up as argument/state errors too.
            throw new DataSourceException("parquet.unreadable", $"'{path}' is not a readable Parquet file (damaged or unsupported): {e.Message}",
                file: path, inner: e, hint: "Check the file, or write it again with a Parquet writer.");
        }
    }

    public static Table Read(string source, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        options ??= new ReadOptions();
        var target = DataAddress.Resolve(source, options.Format);
        return target.Format switch
        {
            DataFormat.Csv => CsvTableReader.Read(target.Path, options, ','),
            DataFormat.Tsv => CsvTableReader.Read(target.Path, options, '\t'),
            DataFormat.Parquet => ReadParquet(target.Path, options.Warning),
            // Native infinities and NaN (REAL, DOUBLE, float8) are missing, as in text, and said once per column.
            _ => UnusableNumbers.Drop(DbTableReader.Read(target.Database!, options), target.Database!.Display, options.Warning),
        };
    }
}

/// <summary>
/// Writes a table to a file or a database, addressed like <see cref="TableReader.Read"/>. Files (CSV, TSV, Parquet) are
/// written atomically through <see cref="AtomicFile"/>: on any failure the previous file is left as it was and no
/// partial output remains. Database writes create the table <see cref="WriteOptions.TableName"/> (default "data") in one
/// transaction. An existing file or table is replaced only with <see cref="WriteOptions.Overwrite"/> (tables also take
/// <see cref="WriteOptions.Append"/>); a symbolic link is written through to its target.
/// </summary>
public static class TableWriter
{
    public static void Write(Table table, string destination, WriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        options ??= new WriteOptions();
        var target = DataAddress.Resolve(destination, options.Format);
        if (options.Append && target.Database is null)
            throw new DataSourceException("io.append-unsupported", $"Cannot append to '{destination}': appending works for database tables only.", file: destination);
        if (target.Database is null) SpaceCheck.Ensure(target.Path, SpaceCheck.Estimate(table, table.RowCount, target.Format == DataFormat.Parquet), table.RowCount);
        switch (target.Format)
        {
            case DataFormat.Csv:
                AtomicFile.WriteStream(target.Path, s => CsvTableWriter.Write(table, s, options.Delimiter ?? ','), options.Overwrite);
                break;
            case DataFormat.Tsv:
                AtomicFile.WriteStream(target.Path, s => CsvTableWriter.Write(table, s, options.Delimiter ?? '\t'), options.Overwrite);
                break;
            case DataFormat.Parquet:
                AtomicFile.Write(target.Path, temp => ParquetTableWriter.Write(table, temp), options.Overwrite);
                break;
            default:
                DbTableWriter.Write(table, target.Database!, options);
                break;
        }
    }
}

public sealed record ReadOptions
{
    /// <summary>csv, tsv, parquet, sqlite, duckdb, postgres; null = from the extension / connection string.</summary>
    public string? Format { get; init; }
    /// <summary>Database table to read, or null to use <see cref="Query"/>.</summary>
    public string? TableName { get; init; }
    /// <summary>SQL query to read instead of a whole table.</summary>
    public string? Query { get; init; }
    /// <summary>Text tokens read as missing (besides the empty field).</summary>
    public IReadOnlyList<string> MissingTokens { get; init; } = ["NA", "N/A", "NaN", "null", "NULL", "?"];
    /// <summary>Field delimiter; null = detect.</summary>
    public char? Delimiter { get; init; }
    /// <summary>Told about repairs made while reading (e.g. a repeated header name renamed <c>a_2</c>); null = silent.</summary>
    public Action<string>? Warning { get; init; }
    /// <summary>Whether the first row is a header; null = detect.</summary>
    public bool? HasHeader { get; init; }
    /// <summary>
    /// Delimited text: the encoding the file was written in; null = detect (a byte-order mark, else UTF-8 when every byte
    /// is valid UTF-8, else Windows-1252 when every byte is a character there, said through <see cref="Warning"/>; else
    /// <c>io.encoding</c> naming the first bad byte's offset). Given UTF-8 is still checked: a bad byte is an error, never U+FFFD.
    /// </summary>
    public System.Text.Encoding? Encoding { get; init; }
}

public sealed record WriteOptions
{
    public string? Format { get; init; }
    /// <summary>Database table to create.</summary>
    public string? TableName { get; init; }
    /// <summary>
    /// Replace an existing file or table. Off by default: an existing output is an error ("io.exists",
    /// "db.table-exists") so nothing the user has is replaced without being asked.
    /// </summary>
    public bool Overwrite { get; init; }
    /// <summary>Rows the whole output will hold, when known before writing (streamed files: the free space is checked against it).</summary>
    public long? ExpectedRows { get; init; }
    /// <summary>Databases: add the rows to an existing table with the same column names (created when missing).</summary>
    public bool Append { get; init; }
    /// <summary>Field delimiter for delimited text; null = ',' for CSV, tab for TSV.</summary>
    public char? Delimiter { get; init; }
    /// <summary>Databases: declare this column the table's PRIMARY KEY.</summary>
    public string? PrimaryKey { get; init; }
    /// <summary>Databases: FOREIGN KEY constraints to declare (the referenced tables must already exist).</summary>
    public IReadOnlyList<DbForeignKey> ForeignKeys { get; init; } = [];
}

/// <summary>A FOREIGN KEY (<paramref name="Column"/>) REFERENCES <paramref name="ReferencedTable"/> (<paramref name="ReferencedColumn"/>) constraint.</summary>
public sealed record DbForeignKey(string Column, string ReferencedTable, string ReferencedColumn);
