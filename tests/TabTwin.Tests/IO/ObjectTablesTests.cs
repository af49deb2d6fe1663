using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

public class ObjectTablesTests
{
    public enum Tier { Bronze, Silver, Gold }

    public sealed class Customer
    {
        public int Id { get; set; }
        public long? Visits { get; set; }
        public short Age { get; set; }
        public byte Level { get; set; }
        public double Score { get; set; }
        public float? Ratio { get; set; }
        public decimal Balance { get; set; }
        public string? City { get; set; }
        public bool Active { get; set; }
        public bool? Verified { get; set; }
        public DateTime Joined { get; set; }
        public DateTimeOffset? LastSeen { get; set; }
        public DateOnly Birthday { get; set; }
        public Tier Tier { get; set; }
        public Tier? PreviousTier { get; set; }
        public Guid Key { get; set; }
    }

    public sealed record Point(int X, double? Y, string Label, Tier Tier);

    private static List<Customer> Customers() =>
    [
        new() { Id = 1, Visits = 10, Age = 30, Level = 2, Score = 0.5, Ratio = 1.1f, Balance = 12.34m, City = "Zürich", Active = true, Verified = null,
            Joined = new DateTime(2024, 1, 31, 10, 15, 30), LastSeen = new DateTimeOffset(2024, 2, 1, 8, 0, 0, TimeSpan.FromHours(9)),
            Birthday = new DateOnly(1990, 5, 17), Tier = Tier.Gold, PreviousTier = Tier.Silver, Key = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e") },
        new() { Id = -2, Visits = null, Age = 41, Level = 0, Score = -3.25, Ratio = null, Balance = -0.5m, City = null, Active = false, Verified = true,
            Joined = new DateTime(1999, 12, 31), LastSeen = null, Birthday = new DateOnly(2000, 2, 29), Tier = Tier.Bronze, PreviousTier = null,
            Key = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7") },
    ];

    [Fact]
    public void Classes_round_trip_through_a_table()
    {
        var items = Customers();
        var table = ObjectTables.FromObjects(items);
        Assert.True(table.Get<NumericColumn>("Id").IsInteger);
        Assert.Equal(2, table.Get<NumericColumn>("Balance").DecimalPlaces);
        Assert.Equal(["Bronze", "Silver", "Gold"], table.Get<CategoricalColumn>("Tier").Categories);
        Assert.IsType<TextColumn>(table["Key"]);
        Assert.True(table.Get<DateTimeColumn>("LastSeen").HasOffset);
        Assert.Equal(1, table["Visits"].MissingCount);
        var back = ObjectTables.ToObjects<Customer>(table);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(items), System.Text.Json.JsonSerializer.Serialize(back));
    }

    [Fact]
    public void Objects_survive_a_file_round_trip_too()
    {
        var path = Path.Combine(TestData.NewTempDir(), "customers.parquet");
        TableWriter.Write(ObjectTables.FromObjects(Customers()), path);
        var back = ObjectTables.ToObjects<Customer>(TableReader.Read(path));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(Customers()), System.Text.Json.JsonSerializer.Serialize(back));
    }

    [Fact]
    public void Positional_records_use_their_constructor_and_match_names_case_insensitively()
    {
        Point[] points = [new(1, 2.5, "東京 😀", Tier.Gold), new(-3, null, "b", Tier.Bronze)];
        var table = ObjectTables.FromObjects(points);
        var renamed = new Table(table.Columns.Select(c => c.WithName(c.Name.ToLowerInvariant())));
        Assert.Equal(points, ObjectTables.ToObjects<Point>(renamed));
    }

    [Fact]
    public void Conversion_failures_name_member_column_and_row()
    {
        var table = new Table([
            new NumericColumn("X", [1, 2.5], isInteger: false),
            new NumericColumn("Y", [1, 2]),
            CategoricalColumn.FromStrings("Label", ["a", "b"]),
            CategoricalColumn.FromStrings("Tier", ["Gold", "Platinum"]),
        ]);
        var e = Assert.Throws<TabTwinException>(() => ObjectTables.ToObjects<Point>(table));
        Assert.Equal("objects.convert", e.Code);
        Assert.Equal("X", e.Column);
        Assert.Equal(2, e.Row);
        Assert.Equal("Cannot set Point.X (Int32) from column 'X' row 2 ('2.5'): 2.5 is not a whole number.", e.Message);

        var badEnum = table.WithColumn(new NumericColumn("X", [1, 2]));
        var en = Assert.Throws<TabTwinException>(() => ObjectTables.ToObjects<Point>(badEnum));
        Assert.Equal("Cannot set Point.Tier (Tier) from column 'Tier' row 2 ('Platinum'): 'Platinum' is not a Tier value.", en.Message);

        var missingValue = badEnum.WithColumn(new NumericColumn("X", [1, 0], Bitmask.FromBools([false, true])));
        var mv = Assert.Throws<TabTwinException>(() => ObjectTables.ToObjects<Point>(missingValue));
        Assert.Contains("the value is missing but the member is not nullable", mv.Message);

        var noColumn = Assert.Throws<TabTwinException>(() => ObjectTables.ToObjects<Point>(table.Without("Label")));
        Assert.Equal("objects.missing-column", noColumn.Code);
    }
}
