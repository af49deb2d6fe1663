using CsCheck;
using TabTwin.Sampling;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Contract;

namespace TabTwin.Tests.Sampling;

/// <summary>
/// Random small tables of every learnable kind, random conditions drawn from their rows (possible) or made up
/// (impossible): every synthesizer either returns exactly the rows asked for, all satisfying the conditions, or throws
/// a <see cref="TabTwinException"/> with one of the documented codes. Never a wrong row, never another exception.
/// </summary>
public sealed class ConditionPropertyTests
{
    private static readonly string[] Codes =
    [
        "condition.unknown-category", "condition.outside-support", "condition.empty-range", "condition.contradictory",
        "condition.impossible", "sampling.condition-unreachable",
    ];

    [Fact]
    public void Random_conditions_on_random_tables_are_always_satisfied_or_rejected_with_a_clear_code()
    {
        Gen.ULong.Sample(seed =>
        {
            var random = new Random((int)(seed % int.MaxValue));
            var (table, schema) = RandomTable(random);
            foreach (var name in SynthesizerCases.NameList)
            {
                var synthesizer = SynthesizerCases.CreateFast(name);
                // The DP synthesizers need 100 rows (TrainingSize contract); smaller tables are refused, as that test checks.
                if (table.RowCount < synthesizer.MinimumRows) continue;
                var model = synthesizer.Fit(table, schema, new FitContext(seed) { MaxThreads = 1 });
                var conditions = RandomConditions(random, table, impossible: random.NextDouble() < 0.3);
                int rows = random.Next(1, 60);
                try
                {
                    var sampled = model.Sample(rows, conditions, seed, new SampleContext { MaxThreads = 1 });
                    Assert.Equal(rows, sampled.RowCount);
                    for (int i = 0; i < rows; i++)
                        Assert.True(conditions.Matches(sampled, i), $"{name}: row {i} [{string.Join(", ", sampled.FormatRow(i))}] breaks {conditions}");
                }
                catch (TabTwinException e)
                {
                    Assert.True(Codes.Contains(e.Code), $"{name}: unexpected code {e.Code} for {conditions}: {e.Message}");
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                }
            }
        }, iter: 25, threads: 1);
    }

    /// <summary>A numeric, integer, categorical (with missing), boolean and date column, 40–120 rows.</summary>
    private static (Table, TableSchema) RandomTable(Random random)
    {
        int n = random.Next(40, 121);
        var amount = new double[n]; var count = new double[n]; var day = new long[n]; var flag = new bool[n];
        var colour = new string?[n]; var missingAmount = new bool[n];
        string[] palette = ["red", "green", "blue", "grey"];
        double scale = Math.Pow(10, random.Next(-1, 4));
        for (int i = 0; i < n; i++)
        {
            count[i] = random.Next(0, random.Next(2, 30));
            amount[i] = Math.Round(scale * (count[i] + random.NextDouble() * 5), 2);
            missingAmount[i] = random.NextDouble() < 0.1;
            day[i] = new DateTime(2021, 1, 1).AddDays(random.Next(0, 400)).Ticks;
            flag[i] = random.NextDouble() < (count[i] > 10 ? 0.7 : 0.3);
            colour[i] = random.NextDouble() < 0.1 ? null : palette[Math.Min(palette.Length - 1, (int)(count[i] / 8) + random.Next(0, 2))];
        }
        var table = new Table([
            new NumericColumn("amount", amount, Bitmask.FromBools(missingAmount), isInteger: false, decimalPlaces: 2),
            new NumericColumn("count", count),
            new DateTimeColumn("day", day, null, "yyyy-MM-dd"),
            new BooleanColumn("flag", flag),
            CategoricalColumn.FromStrings("colour", colour),
        ]);
        var schema = new TableSchema
        {
            Columns =
            [
                new ColumnSchema { Name = "amount", Kind = ColumnKind.Numerical },
                new ColumnSchema { Name = "count", Kind = ColumnKind.Numerical },
                new ColumnSchema { Name = "day", Kind = ColumnKind.Datetime, Format = "yyyy-MM-dd" },
                new ColumnSchema { Name = "flag", Kind = ColumnKind.Boolean },
                new ColumnSchema { Name = "colour", Kind = ColumnKind.Categorical },
            ],
        };
        return (table, schema);
    }

    /// <summary>1–3 conditions around one real row (or made-up values that cannot occur).</summary>
    private static ConditionSet RandomConditions(Random random, Table table, bool impossible)
    {
        int row = random.Next(table.RowCount);
        var conditions = new List<ColumnCondition>();
        foreach (var column in table.Columns.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
        {
            switch (column)
            {
                case NumericColumn n:
                {
                    double v = n.IsMissing(row) ? 0 : n[row], width = impossible ? 0 : Math.Abs(v) * random.NextDouble() + random.Next(0, 3);
                    if (impossible) conditions.Add(RangeCondition.AtLeast(n.Name, n.Values.ToArray().Max() * 3 + 1000));
                    else if (n.IsMissing(row)) conditions.Add(new EqualsCondition(n.Name, null));
                    else if (random.NextDouble() < 0.3) conditions.Add(new EqualsCondition(n.Name, n.FormatValue(row)));
                    else conditions.Add(new RangeCondition(n.Name, v - width, true, v + width, random.NextDouble() < 0.5));
                    break;
                }
                case DateTimeColumn d:
                {
                    long t = d.Ticks[row];
                    conditions.Add(impossible
                        ? RangeCondition.Between(d.Name, new DateTime(1990, 1, 1), true, new DateTime(1991, 1, 1), false)
                        : RangeCondition.Between(d.Name, new DateTime(t).AddDays(-random.Next(0, 60)), true, new DateTime(t).AddDays(random.Next(1, 60)), false));
                    break;
                }
                case BooleanColumn b:
                    conditions.Add(new EqualsCondition(b.Name, b.FormatValue(row)));
                    break;
                default:
                    var value = column.FormatValue(row);
                    conditions.Add(impossible ? new EqualsCondition(column.Name, "no-such-colour")
                        : random.NextDouble() < 0.3 ? new InCondition(column.Name, [value, "red"])
                        : random.NextDouble() < 0.2 && value is not null ? new NotInCondition(column.Name, [value])
                        : new EqualsCondition(column.Name, value));
                    break;
            }
        }
        return ConditionSet.Of(conditions);
    }
}
