using System.Text;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

using Encoding = System.Text.Encoding;

/// <summary>
/// A CSV that is not UTF-8 used to turn every <c>é</c> into U+FFFD without a word (issue 15, item 5). Now the encoding is
/// detected (byte-order mark, else UTF-8, else Windows-1252) and said, or the file is refused naming the first bad byte.
/// The text is chinook's real customers: Luís Gonçalves, Leonie Köhler, François Tremblay, São José dos Campos, …
/// </summary>
public class TextEncodingTests
{
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>The customers whose text Windows-1252 can hold (one Polish 'ł' cannot), as text.</summary>
    private static string Customers()
    {
        var lines = File.ReadAllLines(TestData.Dataset("chinook", "Customer.csv"), new UTF8Encoding(false, true));
        var fits = lines.Where(l => Windows1252.GetString(Windows1252.GetBytes(l)) == l).ToArray();
        Assert.True(fits.Length >= 50 && fits.Any(l => l.Contains("Gonçalves")) && fits.Any(l => l.Contains("Köhler")));
        return string.Join("\n", fits) + "\n";
    }

    private static string Write(byte[] bytes, string name = "customers.csv")
    {
        var path = Path.Combine(TestData.NewTempDir(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertSameCells(Table expected, Table actual)
    {
        Assert.Equal(expected.ColumnNames, actual.ColumnNames);
        Assert.Equal(expected.RowCount, actual.RowCount);
        foreach (var name in expected.ColumnNames)
            for (int i = 0; i < expected.RowCount; i++)
                Assert.Equal(expected[name].FormatValue(i), actual[name].FormatValue(i));
    }

    [Fact]
    public void A_windows_1252_file_is_read_with_its_accents_and_the_guess_is_said_with_the_first_non_utf8_byte()
    {
        var text = Customers();
        var utf8 = TableReader.Read(Write(Encoding.UTF8.GetBytes(text)));
        var bytes = Windows1252.GetBytes(text);
        var path = Write(bytes);
        var warnings = new List<string>();
        var latin = TableReader.Read(path, new ReadOptions { Warning = warnings.Add });

        AssertSameCells(utf8, latin);
        Assert.Equal("Gonçalves", latin["LastName"].FormatValue(0));
        Assert.Equal("São José dos Campos", latin["City"].FormatValue(0));
        Assert.DoesNotContain(latin.ColumnNames.SelectMany(c => Enumerable.Range(0, latin.RowCount).Select(i => latin[c].FormatValue(i) ?? "")), v => v.Contains('\uFFFD'));
        int firstAccent = Array.FindIndex(bytes, b => b >= 0x80);   // the 'í' of Luís
        var warning = Assert.Single(warnings);
        Assert.Contains("Windows-1252", warning);
        Assert.Contains($"byte 0x{bytes[firstAccent]:X2} at byte offset {firstAccent}", warning);
        Assert.Contains("'í'", warning);
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public void Unicode_files_with_a_byte_order_mark_read_the_same_cells(string encoding)
    {
        var text = Customers();
        var expected = TableReader.Read(Write(Encoding.UTF8.GetBytes(text)));
        Encoding e = encoding switch
        {
            "utf-8-bom" => new UTF8Encoding(true),
            "utf-16le" => new UnicodeEncoding(false, true),
            _ => new UnicodeEncoding(true, true),
        };
        var warnings = new List<string>();
        var actual = TableReader.Read(Write([.. e.GetPreamble(), .. e.GetBytes(text)]), new ReadOptions { Warning = warnings.Add });
        AssertSameCells(expected, actual);
        if (encoding == "utf-8-bom") Assert.Empty(warnings);
        else Assert.Contains("UTF-16", Assert.Single(warnings));
    }

    [Fact]
    public void A_file_that_is_neither_utf8_nor_windows_1252_is_refused_naming_the_file_and_the_offsets()
    {
        var bytes = Windows1252.GetBytes(Customers()).ToList();
        int at = bytes.Count / 2;
        bytes.Insert(at, 0x81);   // unassigned in Windows-1252
        var path = Write([.. bytes], "mixed.csv");
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path));
        Assert.Equal("io.encoding", e.Code);
        Assert.Contains(path, e.Message);
        Assert.Contains($"byte 0x81 at byte offset {at}", e.Message);
        Assert.Contains($"at byte offset {bytes.FindIndex(b => b >= 0x80)}", e.Message);   // where UTF-8 failed first

        var nul = Write([.. Encoding.ASCII.GetBytes("a,b\n1,2\n"), 0, .. Encoding.ASCII.GetBytes("3,4\n")], "nul.csv");
        var binary = Assert.Throws<DataSourceException>(() => TableReader.Read(nul));
        Assert.Equal("io.encoding", binary.Code);
        Assert.Contains("NUL byte at byte offset 8", binary.Message);
    }

    [Fact]
    public void A_named_encoding_overrides_detection_and_named_utf8_is_still_checked()
    {
        var bytes = Windows1252.GetBytes(Customers());
        var path = Write(bytes);
        var latin1 = TableReader.Read(path, new ReadOptions { Encoding = Encoding.Latin1 });
        Assert.Equal("Köhler", latin1["LastName"].FormatValue(1));
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path, new ReadOptions { Encoding = new UTF8Encoding(false) }));
        Assert.Equal("io.encoding", e.Code);
        Assert.Contains($"byte offset {Array.FindIndex(bytes, b => b >= 0x80)}", e.Message);
    }

    [Fact]
    public void The_cli_says_which_encoding_it_assumed_writes_utf8_and_refuses_an_unknown_encoding_name()
    {
        var path = Write(Windows1252.GetBytes(Customers()));
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out.csv");
        var run = CliRunner.Run("run", path, "-o", output, "-n", "30", "--seed", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("warning:", run.Stderr);
        Assert.Contains("Windows-1252", run.Stderr);
        var written = File.ReadAllBytes(output);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(written);   // throws on a non-UTF-8 byte
        Assert.DoesNotContain('\uFFFD', text);

        var inspect = CliRunner.Run("inspect", path, "--encoding", "latin-1", "-q");
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.DoesNotContain("warning:", inspect.Stderr);
        var bad = CliRunner.Run("inspect", path, "--encoding", "ebcdic");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--encoding 'ebcdic'", bad.ErrorLines[0]);
    }
}
