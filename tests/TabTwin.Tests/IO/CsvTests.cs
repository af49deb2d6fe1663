using System.Text;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

public class CsvTests
{
    private static string Write(string name, string content, bool bom = false)
    {
        var path = Path.Combine(TestData.NewTempDir(), name);
        File.WriteAllText(path, content, new UTF8Encoding(bom));
        return path;
    }

    [Theory]
    [InlineData("mixed.csv")]
    [InlineData("mixed.tsv")]
    public void Mixed_table_round_trips_with_types_missing_values_and_unicode(string file)
    {
        var table = SampleTables.Mixed();
        var path = Path.Combine(TestData.NewTempDir(), file);
        TableWriter.Write(table, path);
        var back = TableReader.Read(path);
        SampleTables.AssertSameContent(table, back, textMayBecomeCategorical: true);
        Assert.Equal("yes", back.Get<BooleanColumn>("member").TrueToken);
        var seen = back.Get<DateTimeColumn>("seen");
        Assert.Equal([60, -300, 330, 0], new[] { 0, 2, 3, 4 }.Select(r => (int)seen.OffsetMinutes[r]));
        Assert.Equal("line\nbreak", back["note"].FormatValue(3));
        Assert.Equal("quote \"here\"", back["note"].FormatValue(2));
    }

    [Fact]
    public void Writer_uses_minimal_quoting_and_empty_fields_for_missing_values()
    {
        var table = new Table([
            new TextColumn("a", ["x", "with,comma", null]),
            new NumericColumn("b", [1, 2, 0], Bitmask.FromBools([false, false, true]), isInteger: true),
        ]);
        var path = Path.Combine(TestData.NewTempDir(), "q.csv");
        TableWriter.Write(table, path);
        Assert.Equal("a,b\nx,1\n\"with,comma\",2\n,\n", File.ReadAllText(path));
    }

    [Fact]
    public void Bom_quoted_newlines_and_doubled_quotes_are_read()
    {
        var path = Write("bom.csv", "id,comment\n1,\"first line\nsecond line\"\n2,\"say \"\"hi\"\"\"\n", bom: true);
        var t = TableReader.Read(path);
        Assert.Equal(["id", "comment"], t.ColumnNames);
        Assert.Equal("first line\nsecond line", t["comment"].FormatValue(0));
        Assert.Equal("say \"hi\"", t["comment"].FormatValue(1));
    }

    [Fact]
    public void Semicolon_and_pipe_delimiters_are_detected()
    {
        var semi = TableReader.Read(Write("semi.csv", "name;score;city\nAnna;1.5;Zürich\nBo;2.25;東京\n"));
        Assert.Equal(["name", "score", "city"], semi.ColumnNames);
        Assert.Equal(2.25, semi.Get<NumericColumn>("score")[1]);
        var pipe = TableReader.Read(Write("pipe.txt", "a|b\n1|x,y\n2|z\n"));
        Assert.Equal("x,y", pipe["b"].FormatValue(0));
    }

    [Fact]
    public void Tab_separated_text_is_read_from_tsv_and_detected_in_csv()
    {
        var tsv = TableReader.Read(Write("t.tsv", "a\tb\n1\tx y\n2\tz\n"));
        Assert.Equal(["a", "b"], tsv.ColumnNames);
        var detected = TableReader.Read(Write("t.csv", "a\tb\tc\n1\t2\t3\n"));
        Assert.Equal(3, detected.ColumnCount);
    }

    [Fact]
    public void Files_without_header_get_positional_names()
    {
        var t = TableReader.Read(Write("nohead.csv", "1,Zürich,2024-01-01\n2,Bern,2024-02-01\n"));
        Assert.Equal(["column1", "column2", "column3"], t.ColumnNames);
        Assert.Equal(2, t.RowCount);
        Assert.IsType<DateTimeColumn>(t["column3"]);
        var forced = TableReader.Read(Write("text.csv", "alpha,beta\ngamma,delta\n"), new ReadOptions { HasHeader = false });
        Assert.Equal(2, forced.RowCount);
        Assert.Equal("alpha", forced["column1"].FormatValue(0));
    }

    [Fact]
    public void Delimiter_option_overrides_detection()
    {
        var t = TableReader.Read(Write("o.csv", "a;b,c\n1;2,3\n"), new ReadOptions { Delimiter = ',' });
        Assert.Equal(["a;b", "c"], t.ColumnNames);
    }

    [Fact]
    public void Ragged_row_names_file_line_row_and_field_counts()
    {
        var path = Write("ragged.csv", "a,b,c\n1,2,3\n4,\"x\ny\",6\n7,8\n");
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path));
        Assert.Equal("csv.ragged-row", e.Code);
        Assert.Equal(3, e.Row);
        Assert.Equal(path, e.File);
        Assert.Equal($"'{path}' line 5 (data row 3) has 2 fields but the header has 3.", e.Message);
    }

    [Fact]
    public void Crlf_line_ends_are_read_and_counted_as_one_line()
    {
        var ok = TableReader.Read(Write("crlf.csv", "a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n"));
        Assert.Equal("x\r\ny", ok["b"].FormatValue(0));
        Assert.Equal(2, ok.RowCount);
        var path = Write("crlf-ragged.csv", "a,b\r\n1,2\r\n3\r\n");
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path));
        Assert.Equal($"'{path}' line 3 (data row 2) has 1 field but the header has 2.", e.Message);
    }

    [Fact]
    public void Blank_lines_are_skipped_but_count_for_line_numbers()
    {
        var t = TableReader.Read(Write("blank.csv", "a,b\n1,2\n\n3,4\n\n"));
        Assert.Equal(2, t.RowCount);
        Assert.Equal("3", t["a"].FormatValue(1));
        var path = Write("blank-ragged.csv", "a,b\n\n1,2\n3\n");
        Assert.Contains("line 4 (data row 2)", Assert.Throws<DataSourceException>(() => TableReader.Read(path)).Message);
        // In a one-column file an empty line is a missing value.
        var single = TableReader.Read(Write("one.csv", "a\n1\n\n3\n"));
        Assert.Equal(3, single.RowCount);
        Assert.True(single["a"].IsMissing(1));
    }

    [Fact]
    public void Missing_and_unreadable_files_name_the_path()
    {
        var dir = TestData.NewTempDir();
        var missing = Path.Combine(dir, "nope.csv");
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(missing));
        Assert.Equal("io.not-found", e.Code);
        Assert.Contains(missing, e.Message);
        var folder = Path.Combine(dir, "folder.csv");
        Directory.CreateDirectory(folder);
        var u = Assert.Throws<DataSourceException>(() => TableReader.Read(folder));
        Assert.Equal("io.unreadable", u.Code);
        Assert.Contains(folder, u.Message);
    }

    [Fact]
    public void Header_without_rows_and_empty_file_are_empty_tables()
    {
        var headerOnly = Write("h.csv", "a,b\n");
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(headerOnly));
        Assert.Equal("table.empty", e.Code);
        Assert.Equal($"'{headerOnly}' holds no data rows.", e.Message);
        Assert.Equal("table.empty", Assert.Throws<DataSourceException>(() => TableReader.Read(Write("e.csv", ""))).Code);
    }

    [Fact]
    public void Unknown_extension_and_duplicate_header_are_reported()
    {
        var x = Assert.Throws<DataSourceException>(() => TableReader.Read(Write("data.xlsx", "a\n1\n")));
        Assert.Equal("io.unknown-format", x.Code);
        Assert.Contains(".xlsx", x.Message);
        // A first row with a repeated name over numbers is a header; the repeat is renamed (issue 15).
        var dupPath = Write("dup.csv", "a,b,a\n1,2,3\n");
        Assert.Equal(["a", "b", "a_2"], TableReader.Read(dupPath).ColumnNames);
        Assert.Equal(["a", "b", "a_2"], TableReader.Read(dupPath, new ReadOptions { HasHeader = true }).ColumnNames);
        // Repeated text over text stays data.
        Assert.Equal(2, TableReader.Read(Write("dup2.csv", "x,x,y\ny,x,x\n")).RowCount);
        // The format option reads any extension.
        Assert.Equal(1, TableReader.Read(Write("data.dat", "a\n1\n"), new ReadOptions { Format = "csv" }).RowCount);
    }

    [Fact]
    public void Unbalanced_quote_is_malformed_csv()
    {
        var path = Write("bad.csv", "a,b\n1,\"open\n2,3\n");
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path));
        Assert.Equal("csv.malformed", e.Code);
        Assert.StartsWith($"'{path}' is not valid CSV near data row 1: A quoted field at the end of the input ends without a closing quote", e.Message);
    }
}
