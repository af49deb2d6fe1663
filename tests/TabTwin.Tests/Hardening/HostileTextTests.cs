using System.Text;
using TabTwin.Expressions;
using TabTwin.Generation.Spec;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

/// <summary>
/// Specs, expressions and conditions written to hurt: deep nesting (issue 15, item 1: a stack overflow killed the process),
/// a YAML "billion laughs" (item 3: 7.5 GB), and huge literals in error messages (item 11: a 1 MB stderr line).
/// Each is a coded error, in bounded memory and with a bounded message.
/// </summary>
public class HostileTextTests
{
    private static string Spec(string column) => $"version: 1\nrows: 10\ncolumns:\n  x: {column}\n";

    public static TheoryData<string, string> DeepYaml => new()
    {
        { "flow lists", new string('[', 10_000) + new string(']', 10_000) },
        { "flow mappings", string.Concat(Enumerable.Repeat("{a: ", 10_000)) + "1" + new string('}', 10_000) },
        { "block mappings", "\n" + string.Concat(Enumerable.Range(1, 200).Select(i => new string(' ', 2 * i + 2) + "a:\n")) },
    };

    [Theory]
    [MemberData(nameof(DeepYaml))]
    public void Deeply_nested_yaml_is_refused_before_anything_recurses(string shape, string column)
    {
        var e = Assert.Throws<SpecException>(() => SpecReader.FromYaml(Spec(column), "d.yaml"));
        Assert.True(e.Code is "spec.too-large", $"{shape}: {e.Code} {e.Message}");
        Assert.Contains("nested more than", e.Message);
    }

    [Fact]
    public void The_issue_reproduction_exits_1_with_one_line_instead_of_a_crash()
    {
        var dir = TestData.NewTempDir();
        var spec = Path.Combine(dir, "d.yaml");
        File.WriteAllText(spec, Spec(new string('[', 10_000) + new string(']', 10_000)));
        var r = CliRunner.Run("generate", spec, "-o", Path.Combine(dir, "o.csv"));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.ErrorLines[0]);
        Assert.False(File.Exists(Path.Combine(dir, "o.csv")));
    }

    [Fact]
    public void Deeply_nested_json_spec_is_a_syntax_error()
    {
        var json = "{\"version\": 1, \"columns\": {\"x\": " + new string('[', 10_000) + new string(']', 10_000) + "}}";
        var e = Assert.Throws<SpecException>(() => SpecReader.FromJson(json, "d.json"));
        Assert.Equal("spec.syntax", e.Code);
    }

    /// <summary>Nine levels of nine aliases: 1 KB of text that expands to 9^9 (387 million) values.</summary>
    private static string BillionLaughs()
    {
        var text = new StringBuilder("version: 1\nrows: 10\ncolumns:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        var previous = 'a';
        foreach (var name in "bcdefghi")
        {
            text.Append($"  {name}: &{name} [{string.Join(", ", Enumerable.Repeat("*" + previous, 9))}]\n");
            previous = name;
        }
        return text.ToString();
    }

    [Fact]
    public void A_yaml_alias_bomb_is_refused_in_bounded_memory()
    {
        var yaml = BillionLaughs();
        Assert.True(yaml.Length < 1200);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<SpecException>(() => SpecReader.FromYaml(yaml, "bomb.yaml"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("spec.too-large", e.Code);
        Assert.Contains("aliases", e.Message);
        Assert.True(allocated < 50_000_000, $"parsing the bomb allocated {allocated:N0} bytes (bound: 50 MB)");
    }

    [Fact]
    public void Ordinary_aliases_still_work()
    {
        var spec = SpecReader.FromYaml(
            "version: 1\nrows: 10\ncolumns:\n  a: &money { type: normal, mean: 100, sd: 10 }\n  b: *money\n", "alias.yaml");
        Assert.Equal(["a", "b"], spec.Tables[0].Columns.Select(c => c.Name));
    }

    [Fact]
    public void A_one_megabyte_literal_in_an_expression_gives_a_short_message_with_the_caret_in_place()
    {
        var text = "price > \"" + new string('x', 1_000_000) + "\" +";
        var e = Assert.Throws<ExpressionException>(() => Expression.Parse(text));
        Assert.True(e.Message.Length < 600, $"{e.Message.Length:N0} characters");
        var lines = e.Message.Split(Environment.NewLine);
        Assert.Contains("…xxx", lines[1]);
        Assert.Equal(lines[1].Length + 1, lines[2].Length);   // the caret just after the quoted end: the value is missing there
        Assert.EndsWith(" ^", lines[2]);
    }

    [Theory]
    [InlineData(10_000, "(", ")")]
    [InlineData(1_500, "-", "")]
    [InlineData(1_500, "not ", "")]
    [InlineData(500, "abs(", ")")]
    public void Deep_expressions_are_syntax_errors_not_stack_overflows(int depth, string open, string close)
    {
        var text = string.Concat(Enumerable.Repeat(open, depth)) + "a > 1" + string.Concat(Enumerable.Repeat(close, depth));
        var e = Assert.Throws<ExpressionException>(() => Expression.Parse(text));
        Assert.Equal("expr.syntax", e.Code);
        Assert.True(e.Message.Length < 600);
    }

    [Fact]
    public void A_huge_where_condition_gives_a_bounded_error_line()
    {
        var dir = TestData.NewTempDir();
        var input = Path.Combine(dir, "penguins.csv");
        File.WriteAllLines(input, File.ReadLines(TestData.Dataset("penguins", "penguins.csv")).Take(101));
        var r = CliRunner.Run("run", input, "-o", Path.Combine(dir, "o.csv"), "--where", "species=" + new string('x', 200_000) + "'", "-q");
        Assert.Equal(1, r.ExitCode);
        Assert.All(r.ErrorLines, line => Assert.True(line.Length <= TabTwinException.MaxMessageLength + 100, $"{line.Length:N0} characters"));
        // A huge column name: the error's "where" prefix (column '…') quoted it whole, a 4,000-character line.
        var column = CliRunner.Run("run", input, "-o", Path.Combine(dir, "o.csv"), "--where", new string('(', 3000) + "year>1" + new string(')', 3000), "-q");
        Assert.Equal(1, column.ExitCode);
        Assert.All(column.ErrorLines, line => Assert.True(line.Length <= TabTwinException.MaxMessageLength + 100, $"{line.Length:N0} characters"));
    }
}
