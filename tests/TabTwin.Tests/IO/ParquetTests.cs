using ParquetSharp;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

public class ParquetTests
{
    [Fact]
    public void Mixed_table_round_trips_exactly()
    {
        var table = SampleTables.Mixed();
        var path = Path.Combine(TestData.NewTempDir(), "mixed.parquet");
        TableWriter.Write(table, path);
        var back = TableReader.Read(path);
        SampleTables.AssertSameContent(table, back);
        Assert.Equal(2, back.Get<NumericColumn>("price").DecimalPlaces);
        Assert.True(back.Get<NumericColumn>("count").IsInteger);
        Assert.Equal(("yes", "no"), (back.Get<BooleanColumn>("member").TrueToken, back.Get<BooleanColumn>("member").FalseToken));
        var seen = back.Get<DateTimeColumn>("seen");
        Assert.Equal("yyyy-MM-ddTHH:mm:sszzz", seen.Format);
        Assert.Equal([60, -300, 330, 0], new[] { 0, 2, 3, 4 }.Select(r => (int)seen.OffsetMinutes[r]));
        Assert.IsType<TextColumn>(back["note"]); // categorical vs text is kept in the metadata
        Assert.Equal(["Zürich", "東京", "😀 emoji"], back.Get<CategoricalColumn>("city").Categories);
    }

    [Fact]
    public void The_streaming_sink_writes_offsets_as_the_whole_table_writer_does_and_they_read_back()
    {
        var table = SampleTables.Mixed();
        var dir = TestData.NewTempDir();
        string streamed = Path.Combine(dir, "streamed.parquet"), whole = Path.Combine(dir, "whole.parquet");
        using (var sink = TableSinks.Open(streamed))
        {
            sink.Write(table.Take([.. Enumerable.Range(0, 3)]));   // two row groups, the offsets split between them
            sink.Write(table.Take([.. Enumerable.Range(3, table.RowCount - 3)]));
            sink.Complete();
        }
        TableWriter.Write(table, whole);
        var back = TableReader.Read(streamed);
        SampleTables.AssertSameContent(table, back);
        SampleTables.AssertSameContent(TableReader.Read(whole), back);
        Assert.True(back.Get<DateTimeColumn>("seen").HasOffset);
        using var file = new ParquetFileReader(streamed);
        Assert.Equal(2, file.FileMetaData.NumRowGroups);
    }

    [Fact]
    public void Adult_round_trips_through_parquet()
    {
        var adult = TableReader.Read(TestData.DemoCsv);
        var path = Path.Combine(TestData.NewTempDir(), "adult.parquet");
        TableWriter.Write(adult, path);
        SampleTables.AssertSameContent(adult, TableReader.Read(path));
    }

    [Fact]
    public void Integers_are_stored_as_int64_and_offsets_in_a_companion_column()
    {
        var path = Path.Combine(TestData.NewTempDir(), "types.parquet");
        TableWriter.Write(SampleTables.Mixed(), path);
        using var file = new ParquetFileReader(path);
        var schema = file.FileMetaData.Schema;
        var types = Enumerable.Range(0, schema.NumColumns).ToDictionary(i => schema.Column(i).Name, i => schema.Column(i).PhysicalType);
        Assert.Equal(PhysicalType.Int64, types["count"]);
        Assert.Equal(PhysicalType.Double, types["price"]);
        Assert.Equal(PhysicalType.ByteArray, types["city"]);
        Assert.Equal(PhysicalType.Boolean, types["member"]);
        Assert.Equal(PhysicalType.Int32, types["day"]); // DATE
        Assert.Equal(PhysicalType.Int64, types["stamp"]); // TIMESTAMP
        Assert.Equal(PhysicalType.Int32, types["__tabtwin_offset_minutes__seen"]);
        Assert.Contains("tabtwin.columns", file.FileMetaData.KeyValueMetadata.Keys);
    }

    [Fact]
    public void Foreign_files_with_int32_float_date_decimal_and_timestamp_columns_read()
    {
        var path = Path.Combine(TestData.NewTempDir(), "foreign.parquet");
        var columns = new ParquetSharp.Column[]
        {
            new Column<int>("id"),
            new Column<float?>("ratio"),
            new Column<Date?>("day"),
            new Column<decimal?>("amount", LogicalType.Decimal(10, 2)),
            new Column<string>("label"),
            new Column<DateTime?>("at", LogicalType.Timestamp(true, TimeUnit.Millis)),
            new Column<short?>("small"),
        };
        using (var writer = new ParquetFileWriter(path, columns))
        {
            using var rg = writer.AppendRowGroup();
            using (var w = rg.NextColumn().LogicalWriter<int>()) w.WriteBatch([1, 2, 3]);
            using (var w = rg.NextColumn().LogicalWriter<float?>()) w.WriteBatch([1.1f, null, -2.5f]);
            using (var w = rg.NextColumn().LogicalWriter<Date?>()) w.WriteBatch([new Date(2024, 1, 31), new Date(1999, 12, 1), null]);
            using (var w = rg.NextColumn().LogicalWriter<decimal?>()) w.WriteBatch([12.34m, null, -0.5m]);
            using (var w = rg.NextColumn().LogicalWriter<string?>()) w.WriteBatch(["2024-01-01", null, "2024-03-01"]);
            using (var w = rg.NextColumn().LogicalWriter<DateTime?>())
                w.WriteBatch([new DateTime(2024, 1, 31, 10, 15, 30, DateTimeKind.Utc), null, new DateTime(2000, 1, 1, 0, 0, 0, 250, DateTimeKind.Utc)]);
            using (var w = rg.NextColumn().LogicalWriter<short?>()) w.WriteBatch([null, 7, -7]);
            writer.Close();
        }
        var t = TableReader.Read(path);
        var id = t.Get<NumericColumn>("id");
        Assert.True(id.IsInteger);
        Assert.Equal([1.0, 2, 3], id.Values.ToArray());
        Assert.Equal("1.1", t["ratio"].FormatValue(0));
        Assert.True(t["ratio"].IsMissing(1));
        var day = t.Get<DateTimeColumn>("day");
        Assert.Equal("yyyy-MM-dd", day.Format);
        Assert.Equal("1999-12-01", day.FormatValue(1));
        var amount = t.Get<NumericColumn>("amount");
        Assert.Equal(2, amount.DecimalPlaces);
        Assert.Equal("12.34", amount.FormatValue(0));
        Assert.Equal("yyyy-MM-dd", t.Get<DateTimeColumn>("label").Format); // strings go through inference
        var at = t.Get<DateTimeColumn>("at");
        Assert.Equal("2024-01-31 10:15:30", at.FormatValue(0));
        Assert.Equal("2000-01-01 00:00:00.25", at.FormatValue(2));
        Assert.Equal("-7", t["small"].FormatValue(2));
    }

    [Fact]
    public void Unsupported_parquet_type_names_the_column()
    {
        var path = Path.Combine(TestData.NewTempDir(), "blob.parquet");
        using (var writer = new ParquetFileWriter(path, [new Column<int>("id"), new Column<byte[]>("payload")]))
        {
            using var rg = writer.AppendRowGroup();
            using (var w = rg.NextColumn().LogicalWriter<int>()) w.WriteBatch([1]);
            using (var w = rg.NextColumn().LogicalWriter<byte[]>()) w.WriteBatch([[1, 2, 3]]);
            writer.Close();
        }
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path));
        Assert.Equal("parquet.unsupported-type", e.Code);
        Assert.Equal("payload", e.Column);
        Assert.Contains("column 'payload'", e.Message);
    }

    [Fact]
    public void Not_a_parquet_file_is_reported()
    {
        var path = Path.Combine(TestData.NewTempDir(), "fake.parquet");
        File.WriteAllText(path, "a,b\n1,2\n");
        var e = Assert.Throws<DataSourceException>(() => TableReader.Read(path));
        Assert.Equal("parquet.invalid", e.Code);
        Assert.Contains(path, e.Message);
    }
}
