using System.CommandLine;
using TabTwin.IO;

namespace TabTwin.Cli.Commands;

/// <summary>
/// <c>--overwrite</c> and <c>--append</c>, and the check every writing command runs before any work: an existing file or
/// database table is replaced only with <c>--overwrite</c> (tables also take <c>--append</c>), and every output folder must
/// take new files — so a bad last output (say <c>--report</c>) fails before the first one is written.
/// </summary>
internal sealed class OutputOptions
{
    public readonly Option<bool> Overwrite = new("--overwrite") { Description = "Replace existing output files and database tables (without it an existing one is an error and nothing is written)." };
    public readonly Option<bool> Append = new("--append") { Description = "Add the rows to an existing database table with the same columns." };

    /// <summary>The options, for commands that write a table (files-only commands take just <see cref="Overwrite"/>).</summary>
    public IEnumerable<Option> ForTables => [Overwrite, Append];

    public WriteOptions Write(ParseResult r, string? tableName) => new()
    {
        TableName = tableName, Overwrite = r.GetValue(Overwrite), Append = r.GetValue(Append),
    };

    /// <summary>Checks a table destination and the plain files (null entries are skipped) before any work.</summary>
    public void Check(ParseResult r, string? tableDestination, string? tableName, params string?[] files)
    {
        if (r.GetValue(Overwrite) && r.GetValue(Append))
            throw new TabTwinException("cli.overwrite-append", "--overwrite and --append exclude each other: replace the table or add to it.");
        if (tableDestination is not null) OutputGuard.CheckTable(tableDestination, Write(r, tableName));
        foreach (var file in files)
            if (file is not null) OutputGuard.CheckFile(file, r.GetValue(Overwrite));
    }
}
