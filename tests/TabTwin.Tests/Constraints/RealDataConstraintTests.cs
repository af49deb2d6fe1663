using TabTwin.IO;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;
using TabTwin.Registry;

namespace TabTwin.Tests.Constraints;

/// <summary>Real rules on shared datasets: every sampled row must satisfy all of them, with CART and the copula.</summary>
public class RealDataConstraintTests
{
    private const string AdultRules = """
        {"constraints": [
          {"type": "fixed-combinations", "columns": ["education", "education-num"]},
          {"type": "positive", "column": "age", "strict": true},
          {"type": "positive", "column": "capital-gain"},
          {"type": "positive", "column": "capital-loss"},
          {"type": "range", "column": "hours-per-week", "min": 1, "max": 99},
          {"type": "expression", "name": "working age", "expr": "age between 17 and 90"},
          {"type": "expression", "name": "gains xor losses", "expr": "[capital-gain] == 0 || [capital-loss] == 0"}
        ]}
        """;

    private const string InsuranceRules = """
        {"constraints": [
          {"type": "positive", "column": "charges", "strict": true},
          {"type": "range", "column": "age", "min": 18, "max": 64},
          {"type": "range", "column": "bmi", "min": 15, "max": 55},
          {"type": "positive", "column": "children"},
          {"type": "expression", "expr": "region in ('southwest', 'southeast', 'northwest', 'northeast')"},
          {"type": "expression", "name": "smokers pay more", "expr": "!smoker || charges > 10000"}
        ]}
        """;

    [Theory]
    [InlineData("cart")]
    [InlineData("gaussian-copula")]
    public void Adult_samples_satisfy_every_rule(string inner)
    {
        var (table, schema) = AdultSample.First4000;
        var rules = ConstraintSet.FromMetadataJson(AdultRules);
        Assert.True(rules.Check(table).IsClean, rules.Check(table).Format());
        var model = new ConstrainedSynthesizer(SynthesizerRegistry.Get(inner).Create(null), rules).Fit(table, schema, new FitContext(1));
        var sample = model.Sample(3000, 2);
        Assert.Equal(3000, sample.RowCount);
        Assert.True(rules.Check(sample).IsClean, rules.Check(sample).Format());
        // education ↔ education-num stays one-to-one, as in the real data.
        var pairs = Enumerable.Range(0, sample.RowCount).Select(i => (sample["education"].FormatValue(i), sample["education-num"].FormatValue(i))).Distinct().ToList();
        Assert.Equal(pairs.Count, pairs.Select(p => p.Item1).Distinct().Count());
        // Capital gains keep their mass at zero (learned around with log(x + 1), not clamped).
        double zeros = ((NumericColumn)sample["capital-gain"]).Values.ToArray().Count(v => v == 0) / 3000.0;
        Assert.InRange(zeros, 0.85, 0.97);
    }

    [Theory]
    [InlineData("cart")]
    [InlineData("gaussian-copula")]
    public void Insurance_samples_satisfy_every_rule(string inner)
    {
        var table = TableReader.Read(TestData.Dataset("insurance", "insurance.csv"));
        var schema = SchemaDetector.Detect(table);
        var rules = ConstraintSet.FromMetadataJson(InsuranceRules);
        var model = new ConstrainedSynthesizer(SynthesizerRegistry.Get(inner).Create(null), rules).Fit(table, schema, new FitContext(4));
        var sample = model.Sample(2000, 8);
        Assert.True(rules.Check(sample).IsClean, rules.Check(sample).Format());
        var charges = ((NumericColumn)sample["charges"]).Values.ToArray();
        var real = ((NumericColumn)table["charges"]).Values.ToArray();
        Assert.InRange(charges.Average(), real.Average() * 0.85, real.Average() * 1.15);
    }
}
