namespace TabTwin.IO;

internal enum DataFormat { Csv, Tsv, Parquet, Database }

/// <summary>A resolved source/destination: a file path with its format, or a database. Rules: see <see cref="TableReader"/>.</summary>
internal sealed record DataAddress(DataFormat Format, string Path, DbSource? Database)
{
    public static DataAddress Resolve(string address, string? forcedFormat)
    {
        if (StartsWith(address, "sqlite:")) return Db(new DbSource(DbKind.Sqlite, address["sqlite:".Length..], address["sqlite:".Length..]));
        if (StartsWith(address, "duckdb:")) return Db(new DbSource(DbKind.DuckDb, address["duckdb:".Length..], address["duckdb:".Length..]));
        if (StartsWith(address, "postgres://") || StartsWith(address, "postgresql://")) return Db(DbSource.PostgresUrl(address));
        if (StartsWith(address, "pg:")) return Db(DbSource.Postgres(address["pg:".Length..]));

        string format = forcedFormat?.Trim().ToLowerInvariant() ?? FormatFromExtension(address);
        return format switch
        {
            "csv" or "txt" => new DataAddress(DataFormat.Csv, address, null),
            "tsv" or "tab" => new DataAddress(DataFormat.Tsv, address, null),
            "parquet" => new DataAddress(DataFormat.Parquet, address, null),
            "sqlite" => Db(new DbSource(DbKind.Sqlite, address, address)),
            "duckdb" => Db(new DbSource(DbKind.DuckDb, address, address)),
            "postgres" or "postgresql" or "pg" => Db(DbSource.Postgres(address)),
            _ => throw new DataSourceException("io.unknown-format",
                $"Cannot tell the format of '{address}'" + (forcedFormat is null ? $" from its extension '{System.IO.Path.GetExtension(address)}'." : $": unknown format '{forcedFormat}'."),
                file: address,
                hint: "Use .csv, .tsv, .tab, .txt, .parquet, .db/.sqlite/.sqlite3, .duckdb, a sqlite:/duckdb:/pg: prefix, a postgres:// URL, or set the format explicitly."),
        };
    }

    private static DataAddress Db(DbSource source) => new(DataFormat.Database, source.Target, source);

    private static bool StartsWith(string s, string prefix) => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    private static string FormatFromExtension(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => "csv",
        ".txt" => "txt",
        ".tsv" => "tsv",
        ".tab" => "tab",
        ".parquet" => "parquet",
        ".db" or ".sqlite" or ".sqlite3" => "sqlite",
        ".duckdb" => "duckdb",
        var other => other.TrimStart('.'),
    };
}
