using TabTwin.IO;

namespace TabTwin.Generation.Related;

/// <summary>
/// Writes related tables as a folder of files (one <c>&lt;table&gt;.csv</c>/<c>.parquet</c> each) or into one database
/// (SQLite, DuckDB, PostgreSQL) with PRIMARY KEY and FOREIGN KEY constraints declared, parents loaded first, in one
/// transaction. (<see cref="RelatedTablesGenerator.GenerateTo"/> streams to the same outputs without holding the tables.)
/// </summary>
public static class RelatedTablesWriter
{
    /// <summary>True when <paramref name="destination"/> names a database (sqlite:/duckdb:/pg: prefixes, postgres:// URLs, .db/.sqlite/.duckdb files).</summary>
    public static bool IsDatabase(string destination) => RelationalSinks.IsDatabase(destination);

    /// <summary>
    /// A database address gets all tables with constraints; anything else is a folder of <paramref name="fileFormat"/> files.
    /// Existing files or tables of the same names are an error (nothing is written) unless <paramref name="overwrite"/>.
    /// </summary>
    public static IReadOnlyList<string> Write(RelatedTables tables, string destination, string fileFormat = "csv", bool overwrite = false)
    {
        using var sink = RelatedSinks.Open(destination, fileFormat, new RelatedLayout(tables.Order, tables.Relations, tables.PrimaryKeys), out var written, overwrite);
        foreach (var name in tables.Order) sink.Write(name, tables[name]);
        sink.Complete();
        return written;
    }

    /// <summary>One file per table in <paramref name="directory"/> (created when missing); returns the paths written, parents first.</summary>
    public static IReadOnlyList<string> WriteDirectory(RelatedTables tables, string directory, string fileFormat = "csv", bool overwrite = false)
    {
        if (IsDatabase(directory)) throw new DataSourceException("io.not-a-folder", $"'{directory}' is a database address, not a folder.", file: directory);
        return Write(tables, directory, fileFormat, overwrite);
    }

    /// <summary>
    /// Creates every table in the database (replacing tables of the same names, children dropped first), parents
    /// first, each key column a PRIMARY KEY and each foreign key a FOREIGN KEY constraint, all in one transaction.
    /// </summary>
    public static void WriteDatabase(RelatedTables tables, string address, bool overwrite = false)
    {
        if (!IsDatabase(address))
            throw new DataSourceException("io.not-a-database", $"'{address}' is not a database address.", file: address,
                hint: "Use sqlite:<file>, duckdb:<file>, a .db/.sqlite/.duckdb file or a postgres:// URL; or give a folder for one file per table.");
        Write(tables, address, overwrite: overwrite);
    }
}
