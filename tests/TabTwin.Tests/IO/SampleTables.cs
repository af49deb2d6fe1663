using TabTwin.Tables;

namespace TabTwin.Tests.IO;

/// <summary>A small table with every column type, missing values and non-ASCII text, plus an exact comparison.</summary>
internal static class SampleTables
{
    public static Table Mixed()
    {
        var missing = Bitmask.FromBools([false, true, false, false, false]);
        return new Table([
            new NumericColumn("count", [3, 0, -17, 9_007_199_254_740_992, 0], missing, isInteger: true),
            new NumericColumn("price", [1.25, 0, -0.5, 1234.75, 3], missing, isInteger: false, decimalPlaces: 2),
            CategoricalColumn.FromStrings("city", ["Zürich", "東京", null, "Zürich", "😀 emoji"]),
            new TextColumn("note", ["plain", "comma, inside", "quote \"here\"", "line\nbreak", null]),
            new BooleanColumn("member", [true, false, true, false, true], Bitmask.FromBools([false, false, true, false, false]), "yes", "no"),
            new DateTimeColumn("day", Ticks("2024-01-31", "2024-02-29", "1999-12-31", "2024-07-04", "2000-01-01"),
                Bitmask.FromBools([false, false, false, true, false]), "yyyy-MM-dd"),
            new DateTimeColumn("stamp", Ticks("2024-01-31T10:15:30", "2024-02-29T23:59:59", "1999-12-31T00:00:00", "2024-07-04T12:00:00", "2000-01-01T06:30:00"),
                Bitmask.FromBools([false, false, false, false, true]), "yyyy-MM-dd HH:mm:ss"),
            new DateTimeColumn("seen", Ticks("2024-01-31T10:15:30", "2024-02-29T23:59:59", "1999-12-31T00:00:00", "2024-07-04T12:00:00", "2000-01-01T06:30:00"),
                Bitmask.FromBools([false, true, false, false, false]), "yyyy-MM-ddTHH:mm:sszzz", [60, 0, -300, 330, 0]),
        ]);
    }

    public static long[] Ticks(params string[] isoValues)
        => isoValues.Select(v => DateTime.Parse(v, System.Globalization.CultureInfo.InvariantCulture).Ticks).ToArray();

    /// <summary>Same names, storage types, missing masks and formatted values (which encode integer-ness, decimals, formats, offsets, tokens).</summary>
    /// <param name="textMayBecomeCategorical">Text formats cannot tell free text from categories: inference may choose either.</param>
    public static void AssertSameContent(Table expected, Table actual, bool compareTypes = true, bool textMayBecomeCategorical = false)
    {
        Assert.Equal(expected.ColumnNames, actual.ColumnNames);
        Assert.Equal(expected.RowCount, actual.RowCount);
        for (int c = 0; c < expected.ColumnCount; c++)
        {
            var e = expected[c];
            var a = actual[c];
            bool stringKinds = textMayBecomeCategorical && e.Type is ColumnType.Text or ColumnType.Categorical && a.Type is ColumnType.Text or ColumnType.Categorical;
            if (compareTypes && !stringKinds) Assert.True(e.Type == a.Type, $"column '{e.Name}': expected {e.Type}, got {a.Type}");
            Assert.Equal(e.Missing.ToBools(), a.Missing.ToBools());
            for (int r = 0; r < expected.RowCount; r++)
                Assert.True(e.FormatValue(r) == a.FormatValue(r), $"column '{e.Name}' row {r + 1}: expected '{e.FormatValue(r)}', got '{a.FormatValue(r)}'");
        }
    }
}
