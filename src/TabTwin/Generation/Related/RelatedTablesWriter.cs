using TabTwin.IO;

namespace TabTwin.Generation.Related;

/// <summary>
/// Writes related tables as a folder of files (one <c>&lt;table&gt;.csv</c>/<c>.parquet</c> each) or into one database
/// (SQLite, DuckDB, PostgreSQL) with PRIMARY KEY and FOREIGN KEY constraints declared, parents loaded first.
/// </summary>
public static class RelatedTablesWriter
{
    /// <summary>True when <paramref name="destination"/> names a database (sqlite:/duckdb:/pg: prefixes, postgres:// URLs, .db/.sqlite/.duckdb files).</summary>
    public static bool IsDatabase(string destination)
    {
        if (destination.EndsWith('/') || destination.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(destination)) return false;
        try { return DataAddress.Resolve(destination, null).Format == DataFormat.Database; }
        catch (DataSourceException) { return false; }
    }

    /// <summary>A database address gets all tables with constraints; anything else is a folder of <paramref name="fileFormat"/> files.</summary>
    public static IReadOnlyList<string> Write(RelatedTables tables, string destination, string fileFormat = "csv")
    {
        if (IsDatabase(destination)) { WriteDatabase(tables, destination); return tables.Order.Select(t => $"{destination} ({t})").ToList(); }
        return WriteDirectory(tables, destination, fileFormat);
    }

    /// <summary>One file per table in <paramref name="directory"/> (created when missing); returns the paths written, parents first.</summary>
    public static IReadOnlyList<string> WriteDirectory(RelatedTables tables, string directory, string fileFormat = "csv")
    {
        string extension = fileFormat.Trim().TrimStart('.').ToLowerInvariant();
        if (extension is not ("csv" or "tsv" or "parquet"))
            throw new DataSourceException("io.unknown-format", $"Related tables are written as csv, tsv or parquet files, not '{fileFormat}'.", file: directory);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var name in tables.Order)
        {
            var path = Path.Combine(directory, name + "." + extension);
            TableWriter.Write(tables[name], path);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>
    /// Creates every table in the database (replacing tables of the same names, children dropped first), parents
    /// first, each key column a PRIMARY KEY and each foreign key a FOREIGN KEY constraint.
    /// </summary>
    public static void WriteDatabase(RelatedTables tables, string address)
    {
        var target = DataAddress.Resolve(address, null);
        if (target.Database is not { } source)
            throw new DataSourceException("io.not-a-database", $"'{address}' is not a database address.", file: address,
                hint: "Use sqlite:<file>, duckdb:<file>, a .db/.sqlite/.duckdb file or a postgres:// URL; or give a folder for one file per table.");
        DropExisting(tables, source);
        foreach (var name in tables.Order)
        {
            var foreignKeys = tables.Relations.Where(r => r.Child == name)
                .Select(r => new DbForeignKey(r.ForeignKey, r.Parent, r.Key)).ToList();
            TableWriter.Write(tables[name], address, new WriteOptions
            {
                TableName = name,
                PrimaryKey = tables.PrimaryKeys.GetValueOrDefault(name),
                ForeignKeys = foreignKeys,
            });
        }
    }

    /// <summary>Old tables with these names go first, children before parents, so constraints never block the drop.</summary>
    private static void DropExisting(RelatedTables tables, DbSource source)
    {
        if (source.Kind != DbKind.Postgres && !File.Exists(source.Target)) return;
        using var connection = source.Open(forWriting: true);
        var existing = DbSource.ListTables(connection, source);
        foreach (var name in tables.Order.Reverse())
        {
            if (!existing.Contains(name, StringComparer.Ordinal)) continue;
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE " + DbSource.Quote(name);
            command.ExecuteNonQuery();
        }
    }
}
