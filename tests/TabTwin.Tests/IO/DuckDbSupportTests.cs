using System.Diagnostics;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

/// <summary>
/// DuckDB is optional (TabTwin.DuckDb): with it, .duckdb works through the core's reader, writer and the CLI; without it
/// (the core tool TabTwin.Cli, whose build output holds no DuckDB assembly), asking for .duckdb is one coded error
/// naming what to install, raised before any work.
/// </summary>
public sealed class DuckDbSupportTests
{
    [Fact]
    public void The_core_library_and_the_core_tool_do_not_reference_DuckDB()
    {
        var core = typeof(Table).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var cli = typeof(TabTwin.Cli.Program).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("ParquetSharp", core);   // the scan sees real references
        Assert.DoesNotContain(core, n => n.StartsWith("DuckDB", StringComparison.OrdinalIgnoreCase) || n == DuckDbSupport.AssemblyName);
        Assert.DoesNotContain(cli, n => n.StartsWith("DuckDB", StringComparison.OrdinalIgnoreCase) || n == DuckDbSupport.AssemblyName);
    }

    [Fact]
    public void With_TabTwin_DuckDb_referenced_the_engine_is_found_and_real_rows_round_trip()
    {
        Assert.True(DuckDbSupport.IsInstalled);
        Assert.IsAssignableFrom<IDuckDbEngine>(DuckDbSupport.Locate(DuckDbSupport.AssemblyName));
        var real = TableReader.Read(TestData.Dataset("adult", "adult.csv"));
        var path = Path.Combine(TestData.NewTempDir(), "adult.duckdb");
        TableWriter.Write(real, path);
        var back = TableReader.Read(path);
        Assert.Equal(real.RowCount, back.RowCount);
        Assert.Equal(real.ColumnNames, back.ColumnNames);
        Assert.Equal(real.Get<NumericColumn>("age")[123], back.Get<NumericColumn>("age")[123]);
    }

    [Fact]
    public void The_cli_with_DuckDB_present_writes_and_reads_a_duckdb_file()
    {
        var dir = TestData.NewTempDir();
        var output = Path.Combine(dir, "synthetic.duckdb");
        var run = CliRunner.Run("run", TestData.DemoCsv, "-o", output, "--rows", "200", "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(200, TableReader.Read(output).RowCount);
    }

    [Fact]
    public void Without_the_assembly_the_locator_finds_nothing_and_the_error_names_what_to_install()
    {
        Assert.Null(DuckDbSupport.Locate("TabTwin.DuckDb.NotShipped"));
        var error = DuckDbSupport.Missing("sales.duckdb");
        Assert.Equal("io.duckdb-not-installed", error.Code);
        Assert.Equal("sales.duckdb", error.File);
        Assert.Contains("DuckDB support is not installed", error.Message, StringComparison.Ordinal);
        Assert.Contains("TabTwin.Cli.DuckDb", error.Hint, StringComparison.Ordinal);
        Assert.Contains("TabTwin.DuckDb package", error.Hint, StringComparison.Ordinal);
        Assert.True(error.Message.Length + error.Hint!.Length < 400);
    }

    /// <summary>The core tool as built (src/TabTwin.Cli's own output, which has no DuckDB files) in its own process.</summary>
    [Fact]
    public void The_core_tool_refuses_a_duckdb_input_and_output_with_one_line_and_no_file_left()
    {
        var cli = CoreToolDll();
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(cli)!, "TabTwin.DuckDb.dll")), "the core tool's build output must not hold the DuckDB engine");
        var dir = TestData.NewTempDir();
        var input = Path.Combine(dir, "input.duckdb");
        TableWriter.Write(TableReader.Read(TestData.DemoCsv), input);   // made in this process, which has DuckDB

        var read = RunProcess(cli, "inspect", input);
        Assert.Equal(1, read.ExitCode);
        Assert.StartsWith($"error: '{input}' is a DuckDB database, and DuckDB support is not installed", read.Stderr, StringComparison.Ordinal);
        Assert.Contains("hint: Command line: install the tool flavour with DuckDB", read.Stderr, StringComparison.Ordinal);

        var output = Path.Combine(dir, "out.duckdb");
        var write = RunProcess(cli, "run", TestData.DemoCsv, "-o", output, "--quiet");
        Assert.Equal(1, write.ExitCode);
        Assert.Contains("DuckDB support is not installed", write.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir, "*.tabtwin-tmp"));
    }

    private static string CoreToolDll()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var dll = Path.Combine(TestData.RepoRoot, "src", "TabTwin.Cli", "bin", configuration, "net10.0", "TabTwin.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} is built with the tests (project reference); not found");
        return dll;
    }

    private static (int ExitCode, string Stderr) RunProcess(string dll, params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }
}
