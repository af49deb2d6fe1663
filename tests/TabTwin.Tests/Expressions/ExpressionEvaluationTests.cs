using TabTwin.Expressions;
using TabTwin.Tables;

namespace TabTwin.Tests.Expressions;

public class ExpressionEvaluationTests
{
    private static readonly Bitmask NoneMissing = Bitmask.Empty(4);

    /// <summary>A small hospital-stay table: row 3 has a missing discharge and a missing price.</summary>
    private static Table Stays()
    {
        long D(string s) => DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture).Ticks;
        return new Table([
            new DateTimeColumn("admit", [D("2020-01-01"), D("2020-02-10"), D("2020-03-05"), D("2020-12-31")], format: "yyyy-MM-dd"),
            new DateTimeColumn("discharge", [D("2020-01-04"), D("2020-02-10"), 0, D("2021-01-02")],
                Bitmask.FromBools([false, false, true, false]), "yyyy-MM-dd"),
            new NumericColumn("los", [3, 0, 2, 2]),
            new NumericColumn("price", [2.5, 10, 0, 1.1], Bitmask.FromBools([false, false, true, false])),
            new NumericColumn("quantity", [4, 1, 3, 3]),
            CategoricalColumn.FromStrings("ward", ["A", "B", null, "A"]),
            new BooleanColumn("urgent", [true, false, true, false], NoneMissing),
            new TextColumn("Note Text", ["it's fine", "ok", null, "x"]),
        ]);
    }

    private static object?[] Values(string expr) => Enumerable.Range(0, 4).Select(Expression.Parse(expr).Evaluate(Stays()).GetValue).ToArray();

    [Fact]
    public void Issue_example_checks_length_of_stay_with_missing_rows_unknown()
    {
        var result = Expression.Parse("discharge >= admit && los == days(discharge - admit)").Evaluate(Stays());
        Assert.Equal(ExprType.Boolean, result.Type);
        Assert.Equal([true, true, null, true], Enumerable.Range(0, 4).Select(result.GetValue));
    }

    [Fact]
    public void Arithmetic_and_functions_compute_per_row()
    {
        Assert.Equal([10.0, 10.0, null, 3.3], Values("round(price * quantity, 2)"));
        Assert.Equal([3.0, 0.0, null, 2.0], Values("days(discharge - admit)"));
        Assert.Equal([2020.0, 2020.0, 2020.0, 2020.0], Values("year(admit)"));
        Assert.Equal([3.0, 1.0, 4.0, 4.0], Values("weekday(admit)")); // 2020-01-01 was a Wednesday; Monday = 1
        Assert.Equal([9.0, 2.0, null, 1.0], Values("len([Note Text])"));
        Assert.Equal([new DateTime(2020, 1, 4), new DateTime(2020, 2, 10), new DateTime(2020, 3, 7), new DateTime(2021, 1, 2)],
            Values("admit + days(los)"));
        Assert.Equal([1.0, 1.0, 1.0, 1.0], Values("max(1, min(3, 2 - 1), -5)"));
        Assert.Equal([7.0, 8.0, 7.0, 8.0], Values("10 % 3 * 7 % 8 + if(urgent, 0, 1) - if(ward == 'A', 1, 0) * 0"));
    }

    [Fact]
    public void Missing_values_follow_three_valued_logic()
    {
        Assert.Equal([false, false, false, false], Values("quantity > 1000 && price > 0"));               // false && missing = false
        Assert.Equal([true, true, true, true], Values("quantity > 0 || price > 0"));                     // true || missing = true
        Assert.Equal([false, false, true, false], Values("is_missing(price)"));
        Assert.Equal([2.5, 10.0, -1.0, 1.1], Values("coalesce(price, -1)"));
        Assert.Equal(["x", "x", "no", "x"], Values("if(price > 0, 'x', 'no')"));                          // missing condition takes else
        Assert.Equal([null, null, null, null], Values("null"));
        Assert.Equal([null, null, null, null], Values("sqrt(-1) + 0 * quantity"));                       // NaN is missing
    }

    [Fact]
    public void In_between_and_strings()
    {
        Assert.Equal([true, false, null, true], Values("ward in ('A', 'C')"));
        Assert.Equal([false, true, null, false], Values("ward not in ('A', 'C')"));
        Assert.Equal([true, false, true, true], Values("los between 1 and 3"));
        Assert.Equal([true, true, false, false], Values("admit between date('2020-01-01') and date('2020-02-10')"));
        Assert.Equal(["a!", "b!", null, "a!"], Values("lower(ward) + '!'"));
        Assert.Equal([true, false, null, false], Values("[Note Text] = 'it''s fine'"));
        Assert.Equal([true, false, null, false], Values("starts_with([Note Text], 'it') and not contains([Note Text], 'zz')"));
    }

    [Fact]
    public void Result_becomes_a_column_shaped_like_a_template()
    {
        var table = Stays();
        var total = Expression.Parse("price * quantity + 0.004").Bind(table)
            .EvaluateColumn(table, "total", new NumericColumn("t", [1.25], isInteger: false, decimalPlaces: 2));
        var n = Assert.IsType<NumericColumn>(total);
        Assert.Equal(2, n.DecimalPlaces);
        Assert.Equal(["10", "10", null, "3.3"], Enumerable.Range(0, 4).Select(n.FormatValue));
        var end = Expression.Parse("admit + days(1)").Bind(table).EvaluateColumn(table, "next", table["admit"]);
        Assert.Equal("2020-01-02", end.FormatValue(0));
        var label = Expression.Parse("upper(ward)").Bind(table).EvaluateColumn(table, "W");
        Assert.Equal(["A", "B", null, "A"], Enumerable.Range(0, 4).Select(label.FormatValue));
    }

    [Fact]
    public void Row_evaluator_answers_single_rows()
    {
        var table = Stays();
        var rows = Expression.Parse("quantity * 2").Bind(table).Compile(table);
        Assert.Equal(6.0, rows.EvaluateNumber(2));
        Assert.Equal(6.0, rows.Evaluate(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => rows.Evaluate(4));
    }

    [Fact]
    public void Binding_to_column_types_without_data()
    {
        var bound = Expression.Parse("a + b > 3").Bind([new("a", ExprType.Number), new("b", ExprType.Number)]);
        Assert.Equal(ExprType.Boolean, bound.Type);
        var t = new Table([new NumericColumn("a", [1, 5]), new NumericColumn("b", [1, 0])]);
        Assert.Equal([false, true], new[] { 0, 1 }.Select(i => bound.Evaluate(t).GetValue(i)));
        var wrong = new Table([CategoricalColumn.FromStrings("a", ["x", "y"]), new NumericColumn("b", [1, 0])]);
        Assert.Equal("expr.type", Assert.Throws<ExpressionException>(() => bound.Evaluate(wrong)).Code);
    }

    [Fact]
    public void Columns_lists_each_referenced_column_once()
    {
        Assert.Equal(["a", "b c", "d"], Expression.Parse("a + [b c] * a > d").Columns);
    }
}
