using TabTwin.Generation.Spec;
using TabTwin.Tables;
using static TabTwin.Generation.Describe.DescribeQuantiles;
using TabTwin.Distributions;

namespace TabTwin.Generation.Describe;

/// <summary>
/// A numeric column as a spec column: the best of the copula's parametric families (normal, truncated normal,
/// log-normal, gamma, beta, uniform; fitted by <see cref="DistributionFitter"/>) when its Kolmogorov–Smirnov distance is
/// close to the histogram's, else the coarse histogram. Fitted on the values between the clip quantiles, which also
/// bound the column; integers stay integers and decimals keep their places.
/// </summary>
internal static class NumericDescriber
{
    private static readonly MarginalFamily[] Families =
    [
        MarginalFamily.Normal, MarginalFamily.TruncatedNormal, MarginalFamily.LogNormal,
        MarginalFamily.Gamma, MarginalFamily.Beta, MarginalFamily.Uniform,
    ];

    /// <summary>Families that carry their own bounds (the cases of a conditional column share one min/max, so they cannot use it).</summary>
    private static readonly MarginalFamily[] SelfBoundedFamilies = [MarginalFamily.Beta, MarginalFamily.Uniform];

    /// <param name="column">The numeric column to describe.</param>
    /// <param name="options">The privacy and fitting options of the describe run.</param>
    /// <param name="notes">Remarks on what could not be described as it was.</param>
    /// <param name="selfBounded">Only distributions bounded by themselves (beta, uniform, histogram, constant), with no min/max.</param>
    public static ColumnSpec Describe(NumericColumn column, DescribeOptions options, ICollection<string> notes, bool selfBounded = false)
    {
        var present = new List<double>(column.Length);
        for (int r = 0; r < column.Length; r++) if (!column.Missing[r]) present.Add(column[r]);
        double missing = column.Length == 0 ? 0 : Math.Round((double)column.MissingCount / column.Length, 4);
        int? round = column.IsInteger ? 0 : column.DecimalPlaces is > 0 and <= 6 ? column.DecimalPlaces : null;
        if (present.Count < options.MinimumCount)
        {
            notes.Add($"{column.Name}: only {present.Count} values, fewer than {options.MinimumCount}; written as always missing.");
            return new ColumnSpec(column.Name, new Distribution.Constant(0)) { Missing = 1, Round = round };
        }
        var sorted = present.ToArray();
        Array.Sort(sorted);
        var (trimmed, low, high) = Trim(sorted, options.ClipQuantile);
        if (high == low) return new ColumnSpec(column.Name, new Distribution.Constant(low)) { Missing = missing, Round = round };

        var groups = DistinctGroups.Of(trimmed);
        var sample = new ColumnSample(trimmed);
        (ColumnSpec Spec, double Ks)? best = null;
        foreach (var family in selfBounded ? SelfBoundedFamilies : Families)
        {
            if (DistributionFitter.FitFamily(family, sample) is not { } fitted) continue;
            double ks = DistributionFitter.KsStatistic(groups, fitted, column.IsInteger);
            if (!double.IsFinite(ks) || (best is { } b && b.Ks <= ks)) continue;
            if (ToSpec(column.Name, fitted, low, high) is { } spec) best = (spec, ks);
        }
        double grain = round is { } d ? Math.Pow(10, -d) : 0;
        var (edges, weights) = HistogramBuilder.Build(trimmed, grain, options.MinimumCount, options.MaximumBins);
        double histogramKs = DistributionFitter.KsStatistic(groups, new HistogramDistribution(edges, weights), column.IsInteger);
        var chosen = best is { } p && p.Ks <= histogramKs + options.ParametricTolerance
            ? p.Spec
            : new ColumnSpec(column.Name, new Distribution.Histogram(edges.Select(e => Significant(e, 10)).ToArray(), weights));
        return chosen with { Missing = missing, Round = round };
    }

    /// <summary>The copula family as a spec distribution (null for shifted log-normal/gamma, which the spec cannot express).</summary>
    private static ColumnSpec? ToSpec(string name, IDistribution fitted, double low, double high)
    {
        double S(double v) => Significant(v);
        return fitted switch
        {
            NormalDistribution n => new ColumnSpec(name, new Distribution.Normal(S(n.Mean), S(n.StandardDeviation))) { Min = S(low), Max = S(high) },
            TruncatedNormalDistribution t => new ColumnSpec(name, new Distribution.Normal(S(t.Location), S(t.Scale))) { Min = S(t.Lower), Max = S(t.Upper) },
            LogNormalDistribution { Shift: 0 } l => new ColumnSpec(name, new Distribution.LogNormal(S(l.LogMean), S(l.LogStandardDeviation))) { Min = S(low), Max = S(high) },
            GammaDistribution { Shift: 0 } g => new ColumnSpec(name, new Distribution.Gamma(S(g.Shape), S(g.Scale))) { Min = S(low), Max = S(high) },
            BetaDistribution b => new ColumnSpec(name, new Distribution.Beta(S(b.A), S(b.B), S(b.Lower), S(b.Upper))),
            UniformDistribution u => new ColumnSpec(name, new Distribution.Uniform(S(u.Lower), S(u.Upper))),
            _ => null,
        };
    }
}
