using TabTwin.IO;
using TabTwin.Synthesis;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Synthesis;

/// <summary>
/// README's three-line program, compiled and run exactly as written: the lines between the README markers below must
/// equal README's C# block, and running them on the demo table (as adult.csv in an empty folder) must write the
/// synthetic CSV.
/// </summary>
[Collection(RunsAlone.Name)] // it changes the current directory
public sealed class ReadmeProgramTests
{
    private static void ReadmeProgram()
    {
        // README begin
        var real = TableReader.Read("adult.csv");
        var synthetic = SyntheticData.Synthesize(real, rows: 1_000);
        TableWriter.Write(synthetic, "synthetic.csv");
        // README end
    }

    [Fact]
    public void The_program_in_the_readme_is_the_one_tested_here()
    {
        var readme = File.ReadAllLines(Path.Combine(TestData.RepoRoot, "README.md"));
        int start = Array.IndexOf(readme, "```csharp");
        Assert.True(start >= 0, "README has no ```csharp block");
        var block = readme.Skip(start + 1).TakeWhile(l => l != "```").ToArray();
        var source = File.ReadAllLines(Path.Combine(TestData.RepoRoot, "tests", "TabTwin.Tests", "Synthesis", "ReadmeProgramTests.cs"));
        var body = source.SkipWhile(l => l.Trim() != "// README begin").Skip(1).TakeWhile(l => l.Trim() != "// README end").Select(l => l.Trim());
        Assert.Equal(body, block.Where(l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal)));
        // The block's usings are the ones this file compiles the program with.
        Assert.All(block.Where(l => l.StartsWith("using ", StringComparison.Ordinal)), u => Assert.Contains(u, source));
    }

    [Fact]
    public void The_readme_program_writes_a_synthetic_table_shaped_like_the_real_one()
    {
        var dir = TestData.NewTempDir();
        File.Copy(TestData.DemoCsv, Path.Combine(dir, "adult.csv"));
        var before = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = dir;
            ReadmeProgram();
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }
        var real = TableReader.Read(Path.Combine(dir, "adult.csv"));
        var synthetic = TableReader.Read(Path.Combine(dir, "synthetic.csv"));
        Assert.Equal(1_000, synthetic.RowCount);
        Assert.Equal(real.ColumnNames, synthetic.ColumnNames);
        Assert.Equal(real.Columns.Select(c => c.Type), synthetic.Columns.Select(c => c.Type));
        // Same seed, same bytes: the default seed makes the one-call form deterministic.
        var again = SyntheticData.Synthesize(real, rows: 1_000);
        var path = Path.Combine(dir, "again.csv");
        TableWriter.Write(again, path);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "synthetic.csv")), File.ReadAllBytes(path));
    }
}
