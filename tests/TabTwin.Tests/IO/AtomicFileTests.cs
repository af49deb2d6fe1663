using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

public class AtomicFileTests
{
    /// <summary>A column whose values blow up half way through writing, to simulate a crash mid-file.</summary>
    private sealed class ExplodingColumn(string name, int length, int explodeAt) : Column(name, length, Bitmask.Empty(length))
    {
        public override ColumnType Type => ColumnType.Text;
        public override object? GetValue(int row) => FormatValue(row);
        public override string? FormatValue(int row) => row >= explodeAt ? throw new InvalidOperationException("disk on fire") : "v" + row;
        public override Column Take(ReadOnlySpan<int> rows) => throw new NotSupportedException();
        public override Column WithName(string name) => throw new NotSupportedException();
    }

    [Fact]
    public void Failed_write_leaves_the_old_file_intact_and_no_temp_file()
    {
        var dir = TestData.NewTempDir();
        var path = Path.Combine(dir, "out.csv");
        TableWriter.Write(new Table([new TextColumn("a", ["old"])]), path);
        var before = File.ReadAllText(path);
        var failing = new Table([new ExplodingColumn("a", 100_000, 50_000)]);
        Assert.Throws<InvalidOperationException>(() => TableWriter.Write(failing, path, new WriteOptions { Overwrite = true }));
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Failed_write_of_a_new_file_leaves_nothing()
    {
        var dir = TestData.NewTempDir();
        var path = Path.Combine(dir, "new.csv");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteStream(path, s =>
        {
            s.Write(new byte[1000]);
            throw new InvalidOperationException("crash");
        }));
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void Writes_replace_existing_files_and_respect_no_overwrite()
    {
        var dir = TestData.NewTempDir();
        var path = Path.Combine(dir, "sub", "report.txt");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second ✓");
        Assert.Equal("second ✓", File.ReadAllText(path));
        var e = Assert.Throws<DataSourceException>(() => AtomicFile.WriteAllText(path, "third", overwrite: false));
        Assert.Equal("io.exists", e.Code);
        Assert.Contains(path, e.Message);
        Assert.Equal("second ✓", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
