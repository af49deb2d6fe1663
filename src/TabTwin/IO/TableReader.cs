using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>Reads a table from a file (by extension or <see cref="ReadOptions.Format"/>) or a database.</summary>
public static class TableReader
{
    public static Table Read(string source, ReadOptions? options = null)
        => throw new NotImplementedException("TableReader: owned by the I/O work package.");
}

/// <summary>Writes a table to a file (by extension or <see cref="WriteOptions.Format"/>) atomically: temp file + rename.</summary>
public static class TableWriter
{
    public static void Write(Table table, string destination, WriteOptions? options = null)
        => throw new NotImplementedException("TableWriter: owned by the I/O work package.");
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
    /// <summary>Whether the first row is a header; null = detect.</summary>
    public bool? HasHeader { get; init; }
}

public sealed record WriteOptions
{
    public string? Format { get; init; }
    /// <summary>Database table to create.</summary>
    public string? TableName { get; init; }
    /// <summary>Replace an existing file/table instead of failing.</summary>
    public bool Overwrite { get; init; } = true;
}
