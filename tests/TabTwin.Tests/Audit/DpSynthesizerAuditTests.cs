using System.Text.Json;
using TabTwin.Evaluation.Audit;
using TabTwin.Registry;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Audit;

/// <summary>
/// The DP synthesizers audited at the budgets of issue 20 on the in-repo Adult sample (4,000 rows, 1,000 canaries): the
/// empirical lower bound must stay at or below the claimed ε (a bound above it would prove a bug in the mechanism or its
/// accounting). Number columns declare public bounds (the real rows' range, rounded out), as a user with a data
/// dictionary would: in the audit game the real rows are the same in every neighbouring world and the canaries' values lie
/// inside their range, so these bounds do not depend on which canaries were included. Measured (seed 1): 0 everywhere but
/// aim at ε = 4 (0.011). dp-tvae's 0 is weak evidence: at ε = 1000 (practically no noise) the attack also finds 0, so it
/// has no power on DP-TVAE's small network, and the case guards the wiring (claim, δ) more than the noise.
/// </summary>
public class DpSynthesizerAuditTests
{
    [Theory]
    [InlineData("mst", 0.5)]
    [InlineData("mst", 1.0)]
    [InlineData("mst", 4.0)]
    [InlineData("aim", 0.5)]
    [InlineData("aim", 1.0)]
    [InlineData("aim", 4.0)]
    [InlineData("dp-tvae", 0.5)]
    [InlineData("dp-tvae", 1.0)]
    [InlineData("dp-tvae", 4.0)]
    public void The_audit_bound_stays_at_or_below_the_claimed_epsilon(string name, double epsilon)
    {
        var (table, schema) = AdultSample.First4000;
        schema = schema with
        {
            Columns = schema.Columns.Select(c => c.Kind != ColumnKind.Numerical ? c : c with
            {
                Min = Math.Floor(Present(table.Get<NumericColumn>(c.Name)).Min()),
                Max = Math.Ceiling(Present(table.Get<NumericColumn>(c.Name)).Max()),
            }).ToArray(),
        };
        var options = JsonSerializer.SerializeToElement(new { epsilon, delta = 1e-9 });
        var synthesizer = SynthesizerRegistry.Get(name).Create(options);
        Assert.Equal(epsilon, Assert.IsAssignableFrom<IDifferentiallyPrivate>(synthesizer).Epsilon);
        var result = PrivacyAudit.Run(table, schema, synthesizer, new AuditOptions { Canaries = 1000, Seed = 1 });
        Console.WriteLine($"{name} at ε = {epsilon}: {result.Verdict} ({result.CorrectGuesses}/{result.Guesses})");
        Assert.Equal(epsilon, result.ClaimedEpsilon);
        Assert.Equal(1e-9, result.Delta);
        Assert.InRange(result.EpsilonLowerBound, 0, epsilon);
        Assert.False(result.ExceedsClaim);
    }

    private static IEnumerable<double> Present(NumericColumn column) =>
        Enumerable.Range(0, column.Length).Where(i => !column.IsMissing(i)).Select(i => column[i]);
}
