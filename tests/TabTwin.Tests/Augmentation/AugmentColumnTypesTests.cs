using TabTwin.Augmentation;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Augmentation;

/// <summary>SMOTE and noise rows keep every storage type and presentation: ids, personal data, dates, offsets, decimals, boolean spellings.</summary>
public class AugmentColumnTypesTests
{
    private const int Rows = 200, Rare = 20;

    /// <summary>200 rows; y = "rare" on every 10th row.</summary>
    private static (Table Table, TableSchema Schema) Mixed()
    {
        var ids = new double[Rows];
        var emails = new string?[Rows];
        var days = new long[Rows];
        var stamps = new long[Rows];
        var offsets = new short[Rows];
        var prices = new double[Rows];
        var counts = new double[Rows];
        var flags = new bool[Rows];
        var colours = new string?[Rows];
        var notes = new string?[Rows];
        var y = new string?[Rows];
        var start = new DateTime(2020, 1, 1);
        for (int i = 0; i < Rows; i++)
        {
            ids[i] = 1000 + i;
            emails[i] = $"person{i}@example.org";
            days[i] = start.AddDays(i * 3 % 365).Ticks;
            stamps[i] = start.AddHours(i * 7.5).AddSeconds(i % 60).Ticks;
            offsets[i] = (short)(i % 3 == 0 ? 60 : -300);
            prices[i] = Math.Round(10 + i * 1.37 % 50, 2);
            counts[i] = i % 17;
            flags[i] = i % 4 == 0;
            colours[i] = (i % 3) switch { 0 => "red", 1 => "green", _ => "blue" };
            notes[i] = $"note {i}";
            y[i] = i % 10 == 0 ? "rare" : "common";
        }
        var missingPrice = Bitmask.FromBools(Enumerable.Range(0, Rows).Select(i => i % 50 == 10).ToArray());
        var table = new Table([
            new NumericColumn("id", ids),
            new TextColumn("email", emails),
            new DateTimeColumn("day", days, null, "yyyy-MM-dd"),
            new DateTimeColumn("stamp", stamps, null, "yyyy-MM-ddTHH:mm:sszzz", offsets),
            new NumericColumn("price", prices, missingPrice, isInteger: false, decimalPlaces: 2),
            new NumericColumn("count", counts),
            new BooleanColumn("flag", flags, trueToken: "yes", falseToken: "no"),
            CategoricalColumn.FromStrings("colour", colours),
            new TextColumn("note", notes),
            CategoricalColumn.FromStrings("y", y),
        ]);
        ColumnSchema S(string name, ColumnKind kind, PiiType? pii = null) => new() { Name = name, Kind = kind, Pii = pii };
        var schema = new TableSchema
        {
            Columns = [S("id", ColumnKind.Id), S("email", ColumnKind.Pii, PiiType.Email), S("day", ColumnKind.Datetime), S("stamp", ColumnKind.Datetime),
                S("price", ColumnKind.Numerical), S("count", ColumnKind.Numerical), S("flag", ColumnKind.Boolean), S("colour", ColumnKind.Categorical),
                S("note", ColumnKind.Text), S("y", ColumnKind.Categorical)],
        };
        return (table, schema);
    }

    [Theory]
    [InlineData(AugmentMethod.Smote)]
    [InlineData(AugmentMethod.Noise)]
    public void New_rows_keep_types_and_formats_and_never_repeat_keys_or_personal_data(AugmentMethod method)
    {
        var (real, schema) = Mixed();
        var result = Augmenter.Augment(real, schema, new AugmentOptions { Target = "y", To = 0.4, Method = method, Seed = 5, NoiseScale = 0.1 });
        var table = result.Table;
        for (int j = 0; j < real.ColumnCount; j++) Assert.Equal(real[j].Type, table[j].Type);
        Assert.Equal(2, ((NumericColumn)table["price"]).DecimalPlaces);
        Assert.True(((NumericColumn)table["count"]).IsInteger);
        Assert.Equal("yyyy-MM-ddTHH:mm:sszzz", ((DateTimeColumn)table["stamp"]).Format);
        var added = result.NewRows;
        // 20 of 200 raised to 0.4: (20 + a) / (200 + a) = 0.4 → a = 100.
        Assert.Equal(100, added.RowCount);

        var ids = ((NumericColumn)added["id"]).Values.ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id > 1199));
        var realEmails = Enumerable.Range(0, Rows).Select(i => real["email"].FormatValue(i)).ToHashSet();
        Assert.All(Enumerable.Range(0, added.RowCount), i => Assert.DoesNotContain(added["email"].FormatValue(i), realEmails));

        var rareRows = Enumerable.Range(0, Rows).Where(i => i % 10 == 0).ToArray();
        var rareOffsets = rareRows.Select(i => ((DateTimeColumn)real["stamp"]).OffsetMinutes[i]).ToHashSet();
        var day = (DateTimeColumn)added["day"];
        var stamp = (DateTimeColumn)added["stamp"];
        var price = (NumericColumn)added["price"];
        long dayMin = ((DateTimeColumn)real["day"]).Ticks.ToArray().Min(), dayMax = ((DateTimeColumn)real["day"]).Ticks.ToArray().Max();
        for (int i = 0; i < added.RowCount; i++)
        {
            Assert.Equal(0, day.Ticks[i] % TimeSpan.TicksPerDay);                   // dates stay whole days
            Assert.InRange(day.Ticks[i], dayMin, dayMax);
            Assert.Equal(0, stamp.Ticks[i] % TimeSpan.TicksPerSecond);               // whole seconds, as the format writes
            Assert.Contains(stamp.OffsetMinutes[i], rareOffsets);
            if (!price.IsMissing(i)) Assert.Equal(Math.Round(price[i], 2), price[i]);
            Assert.Contains(added["flag"].FormatValue(i), new[] { "yes", "no" });
            Assert.Equal("rare", added["y"].FormatValue(i));
            Assert.StartsWith("note ", added["note"].FormatValue(i));
        }
        // The written text keeps the source's shapes.
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$", stamp.FormatValue(0)!);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", day.FormatValue(0)!);
    }

    [Fact]
    public void Smote_takes_the_majority_category_among_the_neighbours()
    {
        // Class "rare": four rows; three of them blue and close together, one red far away. Every neighbour list of
        // size 3 holds at least two blue rows, so every SMOTE row is blue.
        var x = new double[] { 1, 1.1, 1.2, 9, 50, 51, 52, 53, 54, 55, 56, 57 };
        var colour = new string?[] { "blue", "blue", "blue", "red", "green", "green", "green", "green", "green", "green", "green", "green" };
        var y = Enumerable.Range(0, 12).Select(i => i < 4 ? "rare" : "common").ToArray<string?>();
        var table = new Table([new NumericColumn("x", x), CategoricalColumn.FromStrings("colour", colour), CategoricalColumn.FromStrings("y", y)]);
        var schema = new TableSchema
        {
            Columns = [new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical }, new ColumnSchema { Name = "colour", Kind = ColumnKind.Categorical },
                new ColumnSchema { Name = "y", Kind = ColumnKind.Categorical }],
        };
        var added = Augmenter.Augment(table, schema, new AugmentOptions { Target = "y", To = 0.5, Method = AugmentMethod.Smote, Neighbours = 3 }).NewRows;
        Assert.Equal(4, added.RowCount);
        Assert.All(Enumerable.Range(0, added.RowCount), i => Assert.Equal("blue", added["colour"].FormatValue(i)));
        Assert.All(((NumericColumn)added["x"]).Values.ToArray(), v => Assert.InRange(v, 1, 9));
    }

    [Fact]
    public void Smote_needs_two_rows_of_a_class()
    {
        var table = new Table([new NumericColumn("x", [1, 2, 3, 4]), CategoricalColumn.FromStrings("y", ["a", "a", "a", "b"])]);
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical }, new ColumnSchema { Name = "y", Kind = ColumnKind.Categorical }] };
        var e = Assert.Throws<TabTwinException>(() => Augmenter.Augment(table, schema, new AugmentOptions { Target = "y", To = 0.5, Method = AugmentMethod.Smote }));
        Assert.Equal("augment.too-few-rows", e.Code);
        Assert.Equal("Class 'b' of 'y' has 1 row; SMOTE needs at least 2 rows of a class to interpolate between.", e.Message);
        // Noise copies even a single row.
        var noisy = Augmenter.Augment(table, schema, new AugmentOptions { Target = "y", To = 0.5, Method = AugmentMethod.Noise });
        Assert.Equal(6, noisy.Table.RowCount);
    }
}
