using TabTwin.Generation;
using TabTwin.Generation.Spec;
using TabTwin.Sampling.Constraints;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using static TabTwin.Tests.Generation.GenerationTestKit;

namespace TabTwin.Tests.Generation;

/// <summary>Table-level <c>constraints:</c> in a spec: every generated row satisfies them, chunk by chunk, shards still exact.</summary>
public class SpecConstraintTests
{
    // "admit < discharge" fails for about 1 in 8 first draws, the expression rule for about 1 in 13 more. A full
    // chunk and a partial one exercise the per-chunk redraw (and make two shards).
    private const string Columns = """
        id: { type: sequence, start: 1 }
        admit: { type: datetime, from: 2024-01-01, to: 2024-03-01 }
        discharge: { type: datetime, from: 2024-02-01, to: 2024-04-01 }
        price: { type: normal, mean: 10, sd: 4, round: 2 }
        ward: { type: categorical, values: [a, b, c, d] }
        """;

    private const string Rules = """
        constraints:
          - { type: inequality, low: admit, high: discharge, strict: true }
          - { type: expression, name: cheap ward d, expr: "ward != 'd' || price < 12" }
          - { type: range, column: price, min: 0 }
        """;

    private const long Rows = DataGenerator.ChunkRows + 3000;

    [Fact]
    public void Spec_reader_reads_the_rules_in_the_metadata_shape()
    {
        var spec = Spec(Columns, 10, Rules + "\n");
        var rules = spec.Tables[0].Constraints!;
        Assert.Equal(3, rules.Count);
        var inequality = Assert.IsType<InequalityConstraint>(rules[0]);
        Assert.Equal(("admit", "discharge", true), (inequality.Low, inequality.High, inequality.Strict));
        Assert.IsType<ExpressionConstraint>(rules[1]);
        Assert.IsType<RangeConstraint>(rules[2]);
    }

    [Fact]
    public void Every_generated_row_satisfies_the_rules_and_unconstrained_rows_would_not()
    {
        var constrained = DataGenerator.Generate(Spec(Columns, Rows, Rules + "\n"), options: new GenerateOptions { Seed = 3 });
        Assert.Equal(Rows, constrained.RowCount);
        var rules = Spec(Columns, 1, Rules + "\n").Tables[0].Constraints!;
        var report = rules.Check(constrained);
        Assert.True(report.IsClean, report.Format());
        var admit = constrained.Get<DateTimeColumn>("admit").Ticks;
        var discharge = constrained.Get<DateTimeColumn>("discharge").Ticks;
        for (int i = 0; i < constrained.RowCount; i++) Assert.True(admit[i] < discharge[i], $"row {i}");
        // Without the rules the same spec breaks them often, so the check above is not vacuous.
        var free = DataGenerator.Generate(Spec(Columns, 20_000), options: new GenerateOptions { Seed = 3 });
        Assert.True(rules.Check(free).Violations.Sum(v => v.Count) > 1500);
        // The rejection keeps the row-keyed sequence intact.
        var ids = constrained.Get<NumericColumn>("id");
        Assert.Equal(Enumerable.Range(1, (int)Rows).Select(i => (double)i), ids.Values.ToArray());
    }

    [Fact]
    public void Rows_that_already_pass_are_kept_from_the_first_draw()
    {
        var free = DataGenerator.Generate(Spec(Columns, 5000), options: new GenerateOptions { Seed = 9 });
        var constrained = DataGenerator.Generate(Spec(Columns, 5000, Rules + "\n"), options: new GenerateOptions { Seed = 9 });
        var ok = Spec(Columns, 1, Rules + "\n").Tables[0].Constraints!.Satisfied(free);
        for (int i = 0; i < ok.Length; i++)
            if (ok[i]) Assert.Equal(free.FormatRow(i), constrained.FormatRow(i));
        Assert.Contains(ok, x => !x);
    }

    [Fact]
    public void Shards_concatenate_to_the_single_run_and_threads_do_not_matter()
    {
        string Csv(GenerateOptions options, string file)
        {
            var path = Path.Combine(TestData.NewTempDir(), file);
            DataGenerator.GenerateTo(Spec(Columns, Rows, Rules + "\n"), path, options: options with { Seed = 11 });
            return File.ReadAllText(path);
        }
        var whole = Csv(new GenerateOptions { Threads = 1 }, "whole.csv");
        var parts = Enumerable.Range(1, 2).Select(k => Csv(new GenerateOptions { Shard = new Shard(k, 2), Threads = 2 }, $"p{k}.csv")).ToList();
        string header = whole[..(whole.IndexOf('\n') + 1)];
        Assert.Equal(whole, header + string.Concat(parts.Select(p => p[header.Length..])));
    }

    [Fact]
    public void An_infeasible_rule_fails_at_once_naming_table_and_rule()
    {
        const string impossible = """
            constraints:
              - { type: inequality, low: discharge, high: admit }
            """;
        var cols = """
            admit: { type: datetime, from: 2024-01-01, to: 2024-02-01 }
            discharge: { type: datetime, from: 2024-03-01, to: 2024-04-01 }
            """;
        var e = Assert.Throws<SpecException>(() => DataGenerator.Generate(Spec(cols, 1_000_000, impossible + "\n"), options: new GenerateOptions { Seed = 1 }));
        Assert.Equal("spec.constraints-infeasible", e.Code);
        Assert.Equal("data", e.Table);
        Assert.StartsWith("table 'data', field 'constraints': Constraint #1 (inequality discharge <= admit) is (nearly) never met", e.Message);
        Assert.Contains("in the first draw, only 0 of 65,536 rows of chunk 0 satisfy every rule", e.Message);
    }

    [Fact]
    public void A_rule_on_an_unknown_column_is_reported_before_generating()
    {
        var e = Assert.Throws<SpecException>(() => DataGenerator.Generate(Spec(Columns, 10,
            "constraints:\n  - { type: inequality, low: admit, high: released }\n"), options: new GenerateOptions()));
        Assert.Equal("constraints.unknown-column", e.Code);
        Assert.StartsWith("table 'data', field 'constraints': ", e.Message);
        Assert.Contains("released", e.Message);
    }

    [Fact]
    public void Unique_is_refused_across_chunks_except_on_keys_and_enforced_within_one_chunk()
    {
        var e = Assert.Throws<SpecException>(() => DataGenerator.Generate(Spec(Columns, Rows,
            "constraints:\n  - { type: unique, columns: [ward, price] }\n"), options: new GenerateOptions()));
        Assert.Equal("spec.constraints-unsupported", e.Code);
        Assert.Contains("Constraint #1 (unique", e.Message);
        // On a sequence column it is unique by construction, so a multi-chunk table is fine.
        _ = DataGenerator.Check(Spec(Columns, Rows, "constraints:\n  - { type: unique, columns: [id] }\n"));
        var small = DataGenerator.Generate(Spec("n: { type: uniform, min: 0, max: 3000, round: 0 }", 2000,
            "constraints:\n  - { type: unique, columns: [n] }\n"), options: new GenerateOptions { Seed = 2 });
        Assert.Equal(2000, Numbers(small, "n").Distinct().Count());
    }

    [Fact]
    public void A_rule_that_is_not_a_list_is_a_syntax_error()
    {
        var e = Assert.Throws<SpecException>(() => Spec(Columns, 10, "constraints: { type: unique }\n"));
        Assert.Equal("spec.syntax", e.Code);
        Assert.Contains("'constraints' must be a list of rules", e.Message);
    }
}
