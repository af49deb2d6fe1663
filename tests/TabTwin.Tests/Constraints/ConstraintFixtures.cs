using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Constraints;

/// <summary>Small tables built in code that satisfy the rules the tests declare.</summary>
internal static class ConstraintFixtures
{
    public static TableSchema SchemaOf(Table table, params (string Name, ColumnKind Kind)[] overrides) => new()
    {
        Columns = table.Columns.Select(c => new ColumnSchema
        {
            Name = c.Name,
            Kind = overrides.FirstOrDefault(o => o.Name == c.Name) is { Name: not null } o ? o.Kind : c.Type switch
            {
                ColumnType.Numeric => ColumnKind.Numerical,
                ColumnType.DateTime => ColumnKind.Datetime,
                ColumnType.Boolean => ColumnKind.Boolean,
                _ => ColumnKind.Categorical,
            },
        }).ToArray(),
    };

    /// <summary>
    /// Hospital stays (n rows): admit ≤ discharge (date-only), los = days(discharge − admit), price &gt; 0 with 2 decimals,
    /// quantity 1..5, total = price × quantity, a one-hot ward group, city/country pairs, ~5% missing discharge.
    /// </summary>
    public static Table Stays(int n, int seed = 1)
    {
        var rng = new Random(seed);
        var admit = new long[n]; var discharge = new long[n]; var los = new double[n];
        var price = new double[n]; var quantity = new double[n]; var total = new double[n];
        var wardA = new bool[n]; var wardB = new bool[n]; var wardC = new double[n];
        var city = new string?[n]; var country = new string?[n];
        var missingDischarge = new bool[n];
        (string City, string Country)[] places = [("Paris", "France"), ("Lyon", "France"), ("Berlin", "Germany"), ("Munich", "Germany"), ("Rome", "Italy")];
        var start = new DateTime(2020, 1, 1);
        for (int i = 0; i < n; i++)
        {
            var a = start.AddDays(rng.Next(0, 700));
            int stay = (int)Math.Round(Math.Exp(rng.NextDouble() * 2.5)) - 1;
            admit[i] = a.Ticks;
            discharge[i] = a.AddDays(stay).Ticks;
            los[i] = stay;
            missingDischarge[i] = rng.NextDouble() < 0.05;
            price[i] = Math.Round(5 + rng.NextDouble() * 100 * (1 + stay), 2);
            quantity[i] = rng.Next(1, 6);
            total[i] = Math.Round(price[i] * quantity[i], 2);
            int ward = rng.Next(3);
            wardA[i] = ward == 0; wardB[i] = ward == 1; wardC[i] = ward == 2 ? 1 : 0;
            var p = places[(stay + rng.Next(2)) % places.Length];
            (city[i], country[i]) = (p.City, p.Country);
        }
        var dMissing = Bitmask.FromBools(missingDischarge);
        return new Table([
            new DateTimeColumn("admit", admit, format: "yyyy-MM-dd"),
            new DateTimeColumn("discharge", discharge, dMissing, "yyyy-MM-dd"),
            new NumericColumn("los", los, dMissing, isInteger: true),
            new NumericColumn("price", price, isInteger: false, decimalPlaces: 2),
            new NumericColumn("quantity", quantity, isInteger: true),
            new NumericColumn("total", total, isInteger: false, decimalPlaces: 2),
            new BooleanColumn("ward_a", wardA), new BooleanColumn("ward_b", wardB), new NumericColumn("ward_c", wardC, isInteger: true),
            CategoricalColumn.FromStrings("city", city), CategoricalColumn.FromStrings("country", country),
        ]);
    }

    public const string StaysMetadata = """
        {
          "version": 1,
          "columns": [
            {"name": "admit", "kind": "datetime"}, {"name": "discharge", "kind": "datetime"}, {"name": "los", "kind": "numerical"},
            {"name": "price", "kind": "numerical"}, {"name": "quantity", "kind": "numerical"}, {"name": "total", "kind": "numerical"},
            {"name": "ward_a", "kind": "boolean"}, {"name": "ward_b", "kind": "boolean"}, {"name": "ward_c", "kind": "numerical"},
            {"name": "city", "kind": "categorical"}, {"name": "country", "kind": "categorical"}
          ],
          "constraints": [
            {"type": "inequality", "low": "admit", "high": "discharge"},
            {"type": "formula", "column": "los", "expr": "days(discharge - admit)"},
            {"type": "positive", "column": "price", "strict": true},
            {"type": "range", "column": "quantity", "min": 1, "max": 5},
            {"type": "formula", "column": "total", "expr": "price * quantity"},
            {"type": "one-hot", "columns": ["ward_a", "ward_b", "ward_c"]},
            {"type": "fixed-combinations", "columns": ["city", "country"]},
            {"type": "expression", "name": "long stays cost more", "expr": "los < 3 || price >= 5"}
          ]
        }
        """;

    public static string Rows(Table t) => string.Join("\n", Enumerable.Range(0, t.RowCount).Select(i => string.Join("|", t.FormatRow(i))));
}
