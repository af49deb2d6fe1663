using TabTwin.Schema;
using TabTwin.Schema.Relational;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>How <see cref="RelationalSource.Read"/> reads a database.</summary>
public sealed record RelationalReadOptions
{
    /// <summary>Read only these tables (<c>--tables a,b,c</c>); they must be connected through foreign keys. Null = every table.</summary>
    public IReadOnlyList<string>? Tables { get; init; }
    /// <summary>
    /// A metadata file (SDV multi-table JSON, see <see cref="DatabaseMetadataJson"/>, or a <c>foreign_keys.txt</c> list)
    /// that replaces the keys the source declares; its column sdtypes become the columns' kinds. A folder without one uses
    /// its own <c>metadata.json</c> (else <c>foreign_keys.txt</c>) when present.
    /// </summary>
    public string? MetadataFile { get; init; }
    /// <summary>
    /// What to do with orphans (child rows whose foreign key names no parent row). Default <see cref="OrphanPolicy.AsMissing"/>:
    /// it keeps every real row and value (row counts and the child's statistics stay true), reads the broken link as an
    /// optional one, and lets the synthetic database be written with its FOREIGN KEY constraints; dropping would remove
    /// real rows (and their children), keeping would make the database refuse them.
    /// </summary>
    public OrphanPolicy Orphans { get; init; } = OrphanPolicy.AsMissing;
    /// <summary>Propose keys where none are declared (<see cref="KeyProposer"/>). On by default.</summary>
    public bool ProposeKeys { get; init; } = true;
    /// <summary>PostgreSQL: the schema whose tables are read; null = the connection's current schema (normally <c>public</c>).</summary>
    public string? Schema { get; init; }
    /// <summary>Told each warning (orphans, repairs made while reading tables) as it happens; they are also on <see cref="RelationalData.Warnings"/>.</summary>
    public Action<string>? Warning { get; init; }
}

/// <summary>
/// Reads a whole relational database: every table with its primary and foreign keys.
/// <list type="bullet">
/// <item>A database addressed as for <see cref="TableReader.Read"/> (SQLite file or <c>sqlite:</c>, DuckDB, PostgreSQL
/// <c>postgres://</c>/<c>pg:</c>), opened read-only, keys read from its catalogue (composite keys included).</item>
/// <item>A folder of CSV/TSV/Parquet files, one table per file (named after the file), with its keys in
/// <c>metadata.json</c> (SDV multi-table format), <c>foreign_keys.txt</c>, or <see cref="RelationalReadOptions.MetadataFile"/>.</item>
/// </list>
/// Keys that are not declared are proposed (each with its reason on <see cref="DatabaseMetadata"/>). Every key is
/// checked against the rows (<see cref="KeyIntegrity"/>): a missing key is one clear error, a repeated key keeps its
/// first row (one warning line), orphans are counted per foreign key, reported and treated per <see cref="RelationalReadOptions.Orphans"/>.
/// </summary>
public static class RelationalSource
{
    private static readonly string[] TableExtensions = [".csv", ".tsv", ".tab", ".txt", ".parquet"];

    public static RelationalData Read(string address, RelationalReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        options ??= new RelationalReadOptions();
        var warnings = new List<string>();
        void Warn(string message)
        {
            warnings.Add(message);
            options.Warning?.Invoke(message);
        }

        var (declared, load) = Directory.Exists(address) ? OpenFolder(address, options, Warn) : OpenDatabase(address, options, Warn);
        var fromFile = options.MetadataFile is { } file ? ReadMetadataFile(file, declared.Tables) : null;
        var metadata = fromFile ?? declared;
        if (fromFile is not null)
            foreach (var extra in declared.Tables.Except(fromFile.Tables, StringComparer.Ordinal))
                Warn($"table '{extra}' is not in the metadata file '{options.MetadataFile}': left out.");
        var missing = metadata.Tables.Except(declared.Tables, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new SchemaException("relational.missing-table",
                $"The metadata lists table{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(t => $"'{t}'"))}, which '{TableReader.Describe(address)}' does not hold; it holds: {TabTwinException.Clip(string.Join(", ", declared.Tables))}.",
                file: address, hint: "Fix the table names in the metadata (they are case-sensitive) or add the tables.");

        var tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        if (options.Tables is { } wanted)
        {
            // Keys are only proposed among the tables read, so a subset is checked for connection after proposals.
            foreach (var name in wanted.Where(n => !metadata.Tables.Contains(n, StringComparer.Ordinal)))
                throw new SchemaException("relational.unknown-table",
                    $"'{TableReader.Describe(address)}' has no table '{TabTwinException.Clip(name)}'; it has: {TabTwinException.Clip(string.Join(", ", metadata.Tables))}.",
                    file: address, hint: "Check the spelling and case of --tables.");
            metadata = metadata.Subset(wanted);
        }
        foreach (var name in metadata.Tables) tables[name] = load(name);

        bool declaresKeys = metadata.PrimaryKeys.Values.Any(k => k.Count > 0) || metadata.ForeignKeys.Count > 0;
        if (options.ProposeKeys && (fromFile is null || !declaresKeys))
            metadata = KeyProposer.Propose(tables, metadata.Tables, metadata);
        if (options.Tables is not null) metadata = metadata.ConnectedSubset(metadata.Tables);

        var data = KeyIntegrity.Enforce(new RelationalData(metadata, tables), options.Orphans);
        foreach (var repeated in data.Warnings) Warn(repeated);
        foreach (var orphans in data.Orphans) Warn(orphans.ToString());
        return new RelationalData(data.Metadata, data.Tables) { Orphans = data.Orphans, Warnings = warnings };
    }

    /// <summary>A metadata file: SDV JSON, or one foreign key per line (<c>.txt</c>). Bounded in size before it is read.</summary>
    internal static DatabaseMetadata ReadMetadataFile(string path, IReadOnlyList<string> tables)
    {
        FileChecks.EnsureReadable(path);
        if (new FileInfo(path).Length > DatabaseMetadataJson.MaxLength)
            throw new SchemaException("relational.metadata", $"Metadata file '{path}' is {new FileInfo(path).Length:N0} bytes; metadata is at most {DatabaseMetadataJson.MaxLength:N0}.",
                file: path, hint: "Give the metadata JSON, not data.");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException("io.unreadable", $"Cannot read '{path}': {e.Message}", file: path, inner: e);
        }
        return Path.GetExtension(path).Equals(".txt", StringComparison.OrdinalIgnoreCase)
            ? DatabaseMetadataJson.FromForeignKeyLines(text, tables, path)
            : DatabaseMetadataJson.FromJson(text, path);
    }

    private static (DatabaseMetadata Declared, Func<string, Table> Load) OpenFolder(string folder, RelationalReadOptions options, Action<string> warn)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(f => TableExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).Equals("foreign_keys.txt", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        var byTable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
            if (!byTable.TryAdd(Path.GetFileNameWithoutExtension(f), f))
                throw new DataSourceException("relational.duplicate-table",
                    $"Folder '{folder}' holds two files for table '{Path.GetFileNameWithoutExtension(f)}': '{Path.GetFileName(byTable[Path.GetFileNameWithoutExtension(f)])}' and '{Path.GetFileName(f)}'.",
                    file: folder, hint: "Keep one file per table.");
        if (byTable.Count == 0)
            throw new DataSourceException("table.empty", $"Folder '{folder}' holds no table files (.csv, .tsv, .txt, .parquet).", file: folder);

        var names = byTable.Keys.ToList();
        DatabaseMetadata declared = new(names, new Dictionary<string, IReadOnlyList<string>>(), []);
        if (options.MetadataFile is null)
        {
            var json = Path.Combine(folder, "metadata.json");
            var list = Path.Combine(folder, "foreign_keys.txt");
            if (File.Exists(json)) declared = ReadMetadataFile(json, names);
            else if (File.Exists(list)) declared = ReadMetadataFile(list, names);
        }
        return (declared, name => TableReader.Read(byTable[name], new ReadOptions { Warning = warn }));
    }

    private static (DatabaseMetadata Declared, Func<string, Table> Load) OpenDatabase(string address, RelationalReadOptions options, Action<string> warn)
    {
        var target = DataAddress.Resolve(address, null);
        if (target.Database is not { } source)
            throw new DataSourceException("io.not-a-database",
                $"'{address}' is neither a database nor a folder of tables.", file: address,
                hint: "Give a SQLite/DuckDB file (.db, .sqlite, .duckdb, sqlite:…, duckdb:…), a postgres:// URL, or a folder of CSV/Parquet files.");
        if (options.Schema is { Length: > 0 } schema)
        {
            if (source.Kind != DbKind.Postgres)
                throw new DataSourceException("db.schema-unsupported", $"'{source.Display}': a schema can be chosen for PostgreSQL only.", file: source.Display);
            source = DbSource.Postgres(new Npgsql.NpgsqlConnectionStringBuilder(source.Target) { SearchPath = schema }.ConnectionString) with { Display = source.Display + $" (schema {schema})" };
        }
        DbCatalog catalog;
        using (var connection = source.Open(forWriting: false)) catalog = DbCatalog.Read(connection, source);
        if (catalog.Tables.Count == 0)
            throw new DataSourceException("table.empty", $"{source.Display} holds no tables.", file: source.Display);
        var declared = new DatabaseMetadata(catalog.Tables, catalog.PrimaryKeys, catalog.ForeignKeys.Where(f => catalog.Tables.Contains(f.ParentTable)))
        {
            PrimaryKeyReasons = catalog.PrimaryKeys.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, _ => new KeyReason(false, "PRIMARY KEY in the database"), StringComparer.Ordinal),
            ForeignKeyReasons = catalog.ForeignKeys.Distinct().ToDictionary(f => f, _ => new KeyReason(false, "FOREIGN KEY in the database")),
        };
        return (declared, name => ReadTable(source, name, warn));
    }

    private static Table ReadTable(DbSource source, string name, Action<string> warn)
    {
        try
        {
            return UnusableNumbers.Drop(DbTableReader.Read(source, new ReadOptions { TableName = name, Warning = warn }), source.Display, warn);
        }
        catch (DataSourceException e) when (e.Code == "table.empty")
        {
            throw new DataSourceException("table.empty", $"{source.Display}: table '{name}' has no rows, so there is nothing to learn from it.",
                file: source.Display, inner: e, hint: "Leave it out with --tables (the other tables), or add its rows.");
        }
    }
}
