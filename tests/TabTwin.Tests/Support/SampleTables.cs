using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Support;

/// <summary>Small hand-built tables covering every storage type and the tricky shapes (offsets, decimals, text).</summary>
public static class SampleTables
{
    /// <summary>
    /// <paramref name="rows"/> rows: a text key (id), an email (pii, 15% missing), an integer, a 2-decimal price, a date-only column, a timestamp with offsets,
    /// a boolean (yes/no), a 0/1 numeric flag, a two-valued categorical flag, a categorical and a free-text column,
    /// with some missing values in most columns. Deterministic.
    /// </summary>
    public static (Table Table, TableSchema Schema) Mixed(int rows = 400)
    {
        var r = new Random(12345);
        var ints = new double[rows]; var prices = new double[rows];
        var dates = new long[rows]; var stamps = new long[rows]; var offsets = new short[rows];
        var flags = new bool[rows]; var numFlags = new double[rows];
        var catFlag = new string?[rows]; var colors = new string?[rows]; var notes = new string?[rows];
        var miss = new bool[rows]; var missPrice = new bool[rows]; var missStamp = new bool[rows];
        string[] palette = ["red", "green", "blue", "black"];
        short[] offsetChoices = [0, 60, 120, -300];
        for (int i = 0; i < rows; i++)
        {
            ints[i] = r.Next(18, 90);
            prices[i] = Math.Round(r.NextDouble() * 500, 2);
            dates[i] = new DateTime(2020, 1, 1).AddDays(r.Next(0, 1500)).Ticks;
            stamps[i] = new DateTime(2023, 5, 1).AddSeconds(r.Next(0, 90 * 86400)).Ticks;
            offsets[i] = offsetChoices[r.Next(offsetChoices.Length)];
            flags[i] = r.NextDouble() < 0.3;
            numFlags[i] = r.NextDouble() < 0.6 ? 1 : 0;
            catFlag[i] = r.NextDouble() < 0.5 ? "Y" : "N";
            colors[i] = palette[Math.Min(r.Next(0, 5), 3)];
            notes[i] = r.NextDouble() < 0.5 ? "ok" : $"free note number {r.Next(100000)} about item {i}";
            miss[i] = r.NextDouble() < 0.1;
            missPrice[i] = r.NextDouble() < 0.2;
            missStamp[i] = r.NextDouble() < 0.05;
            if (r.NextDouble() < 0.08) colors[i] = null;
            if (r.NextDouble() < 0.1) notes[i] = null;
        }
        if (rows > 1) colors[0] = "violet"; // a category seen once
        var ids = Enumerable.Range(1, rows).Select(i => $"C-{i:000000}").ToArray();
        var emails = Enumerable.Range(0, rows).Select(i => r.NextDouble() < 0.15 ? null : $"user{i}@example.com").ToArray();
        var table = new Table([
            new TextColumn("customer_id", ids),
            new TextColumn("email", emails),
            new NumericColumn("age", ints, Bitmask.FromBools(miss)),
            new NumericColumn("price", prices, Bitmask.FromBools(missPrice), isInteger: false, decimalPlaces: 2),
            new DateTimeColumn("day", dates, null, "yyyy-MM-dd"),
            new DateTimeColumn("stamp", stamps, Bitmask.FromBools(missStamp), "yyyy-MM-ddTHH:mm:sszzz", offsets),
            new BooleanColumn("member", flags, null, "yes", "no"),
            new NumericColumn("active", numFlags),
            CategoricalColumn.FromStrings("vip", catFlag),
            CategoricalColumn.FromStrings("color", colors),
            new TextColumn("note", notes),
        ]);
        var schema = new TableSchema
        {
            Columns =
            [
                new ColumnSchema { Name = "customer_id", Kind = ColumnKind.Id },
                new ColumnSchema { Name = "email", Kind = ColumnKind.Pii, Pii = PiiType.Email },
                new ColumnSchema { Name = "age", Kind = ColumnKind.Numerical },
                new ColumnSchema { Name = "price", Kind = ColumnKind.Numerical },
                new ColumnSchema { Name = "day", Kind = ColumnKind.Datetime },
                new ColumnSchema { Name = "stamp", Kind = ColumnKind.Datetime },
                new ColumnSchema { Name = "member", Kind = ColumnKind.Boolean },
                new ColumnSchema { Name = "active", Kind = ColumnKind.Boolean },
                new ColumnSchema { Name = "vip", Kind = ColumnKind.Boolean },
                new ColumnSchema { Name = "color", Kind = ColumnKind.Categorical },
                new ColumnSchema { Name = "note", Kind = ColumnKind.Text },
            ],
        };
        return (table, schema);
    }

    /// <summary>Every row of a table as invariant text joined with '|' (missing = "∅"): a byte-comparable fingerprint.</summary>
    public static string[] Rows(Table table) =>
        Enumerable.Range(0, table.RowCount).Select(i => string.Join("|", table.FormatRow(i).Select(v => v ?? "∅"))).ToArray();
}
