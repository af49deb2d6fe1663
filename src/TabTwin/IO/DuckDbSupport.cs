using System.Data.Common;
using System.Reflection;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// What the core needs from DuckDB: a connection and a bulk append. DuckDB's native library is 70 MB per platform,
/// more than the rest of TabTwin together, so it lives in the optional assembly <c>TabTwin.DuckDb</c> (NuGet package
/// <c>TabTwin.DuckDb</c>; tool flavour <c>TabTwin.Cli.DuckDb</c>) and the core never references DuckDB.NET.
/// </summary>
internal interface IDuckDbEngine
{
    /// <summary>An unopened connection for an ADO.NET connection string (<c>Data Source=…;access_mode=…</c>).</summary>
    DbConnection CreateConnection(string connectionString);

    /// <summary>Appends every row of <paramref name="table"/> to the existing table <paramref name="tableName"/>.</summary>
    void Append(Table table, DbConnection connection, string tableName);
}

/// <summary>
/// Finds the DuckDB engine when the program ships <c>TabTwin.DuckDb</c> (a package or project reference puts it in
/// the app's dependencies; nothing needs registering) and otherwise fails with <c>io.duckdb-not-installed</c>,
/// naming what to install, as soon as a DuckDB source or destination is used.
/// </summary>
internal static class DuckDbSupport
{
    internal const string AssemblyName = "TabTwin.DuckDb";
    internal const string EngineTypeName = "TabTwin.DuckDb.DuckDbEngine";
    internal const string MissingCode = "io.duckdb-not-installed";

    private static readonly Lazy<IDuckDbEngine?> Installed = new(() => Locate(AssemblyName));

    /// <summary>True when the DuckDB engine is available to this program.</summary>
    public static bool IsInstalled => Installed.Value is not null;

    /// <summary>The engine, or a coded error naming <paramref name="display"/> and what to install.</summary>
    public static IDuckDbEngine Require(string display) => Installed.Value ?? throw Missing(display);

    /// <summary>Loads <paramref name="assemblyName"/> and creates its engine; null when the assembly (or DuckDB.NET beside it) is absent.</summary>
    internal static IDuckDbEngine? Locate(string assemblyName)
    {
        try
        {
            var assembly = Assembly.Load(new AssemblyName(assemblyName));
            var type = assembly.GetType(EngineTypeName, throwOnError: false);
            return type is null ? null : Activator.CreateInstance(type, nonPublic: true) as IDuckDbEngine;
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or TargetInvocationException)
        {
            return null;
        }
    }

    internal static DataSourceException Missing(string display) => new(MissingCode,
        $"'{display}' is a DuckDB database, and DuckDB support is not installed: it is an optional part of TabTwin (its native library alone is 70 MB).",
        file: display,
        hint: "Command line: install the tool flavour with DuckDB (dotnet tool uninstall -g TabTwin.Cli; dotnet tool install -g TabTwin.Cli.DuckDb). "
              + "Program: add the TabTwin.DuckDb package. Or convert the table to Parquet, CSV or SQLite.");
}
