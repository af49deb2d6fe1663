namespace TabTwin.Cli.DuckDb;

/// <summary>The tabtwin command line; the DuckDB engine is found because this program references TabTwin.DuckDb.</summary>
public static class Program
{
    public static int Main(string[] args) => TabTwin.Cli.Program.Main(args);
}
