using TabTwin.Schema;
using TabTwin.Schema.Relational;

namespace TabTwin.IO;

/// <summary>How <see cref="RelationalSink.Write"/> writes a database.</summary>
public sealed record RelationalWriteOptions
{
    /// <summary>Replace existing tables (or files) of the same names. Off by default: an existing one is an error and nothing is written.</summary>
    public bool Overwrite { get; init; }
    /// <summary>Folder output: the file format of each table, <c>csv</c>, <c>tsv</c> or <c>parquet</c>.</summary>
    public string FileFormat { get; init; } = "csv";
    /// <summary>Folder output: the column kinds written into metadata.json (e.g. the detected schema of each table); null = the metadata's own <see cref="DatabaseMetadata.ColumnSchemas"/>.</summary>
    public IReadOnlyDictionary<string, TableSchema>? Schemas { get; init; }
}

/// <summary>
/// Writes a whole database, all or nothing:
/// <list type="bullet">
/// <item>to SQLite, DuckDB or PostgreSQL (addressed as for <see cref="TableWriter.Write"/>) in one transaction, every table
/// with its PRIMARY KEY (composite ones included), the UNIQUE keys its children reference and its FOREIGN KEY
/// constraints, parents first, so the database itself checks every row (SQLite is told to enforce foreign keys); a table
/// that references itself is loaded referenced rows first;</item>
/// <item>to a folder (any other address; created when missing): one file per table in
/// <see cref="RelationalWriteOptions.FileFormat"/> plus <c>metadata.json</c> (SDV multi-table format), which
/// <see cref="RelationalSource.Read"/> reads back with the same keys.</item>
/// </list>
/// Existing tables or files are checked before anything is written and replaced only with <see cref="RelationalWriteOptions.Overwrite"/>;
/// a failure (a row the database refuses, a full disk) leaves nothing new behind.
/// </summary>
public static class RelationalSink
{
    /// <summary>Writes <paramref name="data"/> and returns what was written: file paths, or <c>destination (table)</c> per table, parents first.</summary>
    public static IReadOnlyList<string> Write(RelationalData data, string destination, RelationalWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        options ??= new RelationalWriteOptions();
        var json = RelationalSinks.IsDatabase(destination) ? null : DatabaseMetadataJson.ToJson(data.Metadata, options.Schemas);
        using var sink = RelationalSinks.Open(destination, options.FileFormat, data.Metadata, out var written, options.Overwrite, json);
        foreach (var table in data.Metadata.ParentsFirst) sink.Write(table, data[table]);
        sink.Complete();
        return written;
    }
}
