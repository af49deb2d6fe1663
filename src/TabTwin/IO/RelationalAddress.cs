namespace TabTwin.IO;

/// <summary>Tells a whole relational database from a single table by its address, so commands choose the multi-table path without guessing.</summary>
public static class RelationalAddress
{
    /// <summary>
    /// True for a folder (a folder of tables) and for a database holding more than one table; false for a file table
    /// and a database with a single table (which reads as one table, as before). Opens a database read-only to list its
    /// tables; an address that cannot be resolved or opened gives false, so the single-table reader reports it.
    /// </summary>
    public static bool HoldsSeveralTables(string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (Directory.Exists(address)) return true;
        DataAddress target;
        try { target = DataAddress.Resolve(address, null); }
        catch (DataSourceException) { return false; }
        if (target.Database is not { } source) return false;
        if (source.Kind != DbKind.Postgres && !File.Exists(source.Target)) return false;
        using var connection = source.Open(forWriting: false);
        return DbSource.ListTables(connection, source).Count > 1;
    }
}
