using System.Data.Common;

namespace TabTwin.IO;

/// <summary>
/// Checks every destination of a job before any work starts: an existing file or database table is replaced only when
/// the caller says so (<see cref="WriteOptions.Overwrite"/>, or <see cref="WriteOptions.Append"/> for a table), and the
/// folder must take a new file. A job with several outputs (table, model, report, JSON) checks them all first, so a
/// bad last path fails before the first output is written. Nothing is created or changed here except a probe file
/// that is removed at once.
/// </summary>
public static class OutputGuard
{
    /// <summary>Checks a table destination addressed like <see cref="TableWriter.Write"/>.</summary>
    public static void CheckTable(string destination, WriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        options ??= new WriteOptions();
        var target = DataAddress.Resolve(destination, options.Format);
        if (target.Database is not { } db)
        {
            if (options.Append)
                throw new DataSourceException("io.append-unsupported", $"Cannot append to '{destination}': appending works for database tables only.",
                    file: destination, hint: "Write a new file, or replace this one with --overwrite.");
            CheckFile(target.Path, options.Overwrite);
            return;
        }
        if (db.Kind == DbKind.DuckDb) DuckDbSupport.Require(db.Display);
        string table = options.TableName ?? "data";
        if (db.Kind != DbKind.Postgres && !File.Exists(db.Target))
        {
            CheckFile(db.Target, overwrite: false);
            return;
        }
        using var connection = db.Open(forWriting: false);
        bool exists = DbSource.ListTables(connection, db).Contains(table, StringComparer.Ordinal);
        if (exists && !options.Overwrite && !options.Append)
            throw TableExists(db, table);
        if (db.Kind != DbKind.Postgres) CheckFolder(db.Target, db.Display);
    }

    /// <summary>Checks a file about to be written (model, report, JSON, spec): it is new or may be replaced, and its folder takes files.</summary>
    public static void CheckFile(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = AtomicFile.FinalTarget(path);
        if (Directory.Exists(full))
            throw new DataSourceException("io.unwritable", $"Cannot write '{path}': it is a directory.", file: path, hint: "Give a file name.");
        if (File.Exists(full) && !overwrite)
            throw new DataSourceException("io.exists", $"Cannot write '{path}': the file already exists.", file: path,
                hint: "Pass --overwrite to replace it (library: WriteOptions.Overwrite), or choose another path.");
        CheckFolder(full, path);
    }

    /// <summary>The folder of <paramref name="full"/> exists (or can be created) and accepts a new file: a probe is created and removed.</summary>
    private static void CheckFolder(string full, string shown)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(full))!;
        var probe = Path.Combine(dir, AtomicFile.TempName(Path.GetFileName(full)));
        try
        {
            Directory.CreateDirectory(dir);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException("io.unwritable", $"Cannot write '{shown}': the folder '{dir}' does not accept new files ({e.Message}).",
                file: shown, inner: e, hint: "Choose a folder you can write to.");
        }
    }

    internal static DataSourceException TableExists(DbSource db, string table) =>
        new("db.table-exists", $"{db.Display} already has a table '{table}'; it is left as it is.", file: db.Display,
            hint: "Pass --overwrite to replace it or --append to add rows (library: WriteOptions.Overwrite / Append), or choose another table name with --output-table.");
}
