using System.CommandLine;
using TabTwin.IO;
using TabTwin.Schema.Relational;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>tabtwin inspect shop.sqlite</c> (a database of several tables, or a folder of tables): prints the database's
/// metadata JSON (SDV multi-table format) on stdout — or writes it with <c>-o</c> — and on stderr its tables, keys
/// (declared or proposed, each with its reason) and orphan counts.
/// </summary>
internal static class InspectDatabase
{
    /// <summary><c>--tables a,b,c</c>: read only these tables (a connected set).</summary>
    public static Option<string?> Tables() => new("--tables") { Description = "Whole databases: read only these tables (comma-separated; they must be linked by foreign keys)." };

    /// <summary><c>--orphans</c>: what to do with child rows whose foreign key names no parent row.</summary>
    public static Option<string> Orphans() => new("--orphans")
    {
        Description = "Whole databases: child rows whose foreign key names no parent row: as-missing (default: the key becomes missing), drop, or keep.",
        DefaultValueFactory = _ => "as-missing",
    };

    /// <summary>Whether the command reads a whole database: <c>--tables</c> given, or several tables at the address and no <c>--table</c>/<c>--query</c>.</summary>
    public static bool Applies(string source, string? table, string? query, string? tables) =>
        tables is not null || (table is null && query is null && RelationalAddress.HoldsSeveralTables(source));

    public static RelationalReadOptions ReadOptions(string? tables, string orphans, string? metadata) => new()
    {
        Tables = tables?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        MetadataFile = metadata,
        Orphans = orphans.Trim().ToLowerInvariant() switch
        {
            "as-missing" or "missing" => OrphanPolicy.AsMissing,
            "drop" => OrphanPolicy.Drop,
            "keep" => OrphanPolicy.Keep,
            _ => throw new UsageException("cli.orphans", $"--orphans '{orphans}' is not one of as-missing, drop, keep."),
        },
    };

    public static void Run(CliConsole console, string source, RelationalReadOptions options, string? output, bool overwrite)
    {
        var data = console.Step($"Reading {TableReader.Describe(source)}", _ => RelationalSource.Read(source, options));
        var json = DatabaseMetadataJson.ToJson(data.Metadata, RelationalSummary.Schemas(data));
        if (output is not null)
        {
            AtomicFile.WriteAllText(output, json + Environment.NewLine, overwrite);
            console.Out($"Metadata for {data.Metadata.Tables.Count} tables written to {Path.GetFullPath(output)}");
        }
        else
        {
            console.Out(json);
        }
        // Orphan reports are among the summary lines; the other warnings (repairs made reading a table) are said here.
        foreach (var warning in data.Warnings.Except(data.Orphans.Select(o => o.ToString()))) console.Error("warning: " + warning);
        foreach (var line in RelationalSummary.Lines(data)) console.Info(line);
    }
}
