using TabTwin.Encoding;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Bundles;

namespace TabTwin.Tests.Encoding;

public class TableEncodingTests
{
    [Fact]
    public void Encode_then_decode_reproduces_every_modelled_value()
    {
        var (table, schema) = SampleTables.Mixed();
        var enc = TableEncoding.Fit(table, schema, EncoderRulesTests.Exact);
        var decoded = enc.Decode(enc.Encode(table), seed: 7);
        Assert.Equal(table.ColumnNames, decoded.ColumnNames);
        for (int c = 0; c < table.ColumnCount; c++) Assert.Equal(table[c].Type, decoded[c].Type);
        foreach (var name in new[] { "age", "price", "day", "member", "active", "vip", "color" })
            for (int i = 0; i < table.RowCount; i++)
                Assert.Equal(table[name].FormatValue(i), decoded[name].FormatValue(i));
        var (stamp, stampBack) = ((DateTimeColumn)table["stamp"], (DateTimeColumn)decoded["stamp"]);
        var (note, noteBack) = ((TextColumn)table["note"], (TextColumn)decoded["note"]);
        for (int i = 0; i < table.RowCount; i++)
        {
            // Wall-clock values come back exactly; offsets are redrawn from the observed mix.
            Assert.Equal(stamp.IsMissing(i), stampBack.IsMissing(i));
            if (!stamp.IsMissing(i)) Assert.Equal(stamp.Ticks[i], stampBack.Ticks[i]);
            // Frequent text comes back; every rare note becomes generated text.
            if (note[i] is null or "ok") Assert.Equal(note[i], noteBack[i]);
            else Assert.NotEqual(note[i], noteBack[i]); // written from the column's word statistics, never the real note
        }
        // Keys and personal data are regenerated, never copied.
        Assert.Empty(Enumerable.Range(0, table.RowCount).Select(decoded["email"].FormatValue).OfType<string>()
            .Intersect(Enumerable.Range(0, table.RowCount).Select(table["email"].FormatValue).OfType<string>()));
    }

    [Fact]
    public void Encoded_kinds_follow_the_rules()
    {
        var (table, schema) = SampleTables.Mixed();
        var e = TableEncoding.Fit(table, schema).Encode(table);
        Assert.Equal(["age", "price", "day", "stamp", "member", "active", "vip", "color", "note"], e.Columns.Select(c => c.Name));
        Assert.Equal(EncodedKind.Continuous, e[0].Kind);
        Assert.Equal(EncodedKind.Continuous, e[3].Kind);
        var day = (DateTimeColumn)table["day"];
        Assert.Equal((day.Ticks[0] - new DateTime(1970, 1, 1).Ticks) / 1e7, e[2].Values![0]);
        Assert.All(new[] { e[4], e[5], e[6] }, c => Assert.Equal(2, c.Cardinality));
        Assert.Equal(((BooleanColumn)table["member"])[3] ? 1 : 0, e[4].Codes![3]);
        Assert.Equal(5, e[7].Cardinality); // red, green, blue, black, violet (threshold 1 keeps all)
        Assert.Equal(2, e[8].Cardinality); // "ok" + other
    }

    [Fact]
    public void Parallel_decode_equals_sequential_decode()
    {
        var (table, schema) = SampleTables.Mixed(3000);
        var enc = TableEncoding.Fit(table, schema, new EncodingOptions { RareCategoryThreshold = 5 });
        var encoded = enc.Encode(table);
        var sequential = SampleTables.Rows(enc.Decode(encoded, 12));
        Assert.Equal(sequential, SampleTables.Rows(enc.Decode(encoded, 12, maxThreads: 2)));
        Assert.Equal(sequential, SampleTables.Rows(enc.Decode(encoded, 12, maxThreads: null)));
        Assert.NotEqual(sequential, SampleTables.Rows(enc.Decode(encoded, 13)));
    }

    [Fact]
    public void Write_then_read_gives_the_same_decoding()
    {
        var (table, schema) = SampleTables.Mixed();
        var enc = TableEncoding.Fit(table, schema, new EncodingOptions { RareCategoryThreshold = 5 });
        var w = new ModelBundleWriter();
        enc.Write(w);
        var back = TableEncoding.Read(ModelBundleReader.FromWriter(w));
        Assert.Equal(enc.Options, back.Options);
        var encoded = enc.Encode(table);
        Assert.Equal(SampleTables.Rows(enc.Decode(encoded, 3)), SampleTables.Rows(back.Decode(encoded, 3)));
    }

    [Fact]
    public void Empty_table_is_rejected_with_a_code()
    {
        var (table, schema) = SampleTables.Mixed();
        var e = Assert.Throws<SchemaException>(() => TableEncoding.Fit(table.Head(0), schema));
        Assert.Equal("table.empty", e.Code);
    }
}
