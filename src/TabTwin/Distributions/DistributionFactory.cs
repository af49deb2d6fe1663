namespace TabTwin.Distributions;

/// <summary>Rebuilds a distribution from its family and parameters (as written to a model file), checking them.</summary>
internal static class DistributionFactory
{
    public static IDistribution FromParameters(MarginalFamily family, double[] p, Func<double[]> knotProbabilities, Func<double[]> knotValues)
    {
        void Expect(int count, bool valid)
        {
            if (p.Length != count) throw new ArgumentException($"{family} needs {count} parameters, found {p.Length}");
            if (!valid) throw new ArgumentException($"{family} parameters [{string.Join(", ", p)}] are out of range");
        }
        switch (family)
        {
            case MarginalFamily.Normal: Expect(2, p.Length == 2 && p[1] > 0); return new NormalDistribution(p[0], p[1]);
            case MarginalFamily.TruncatedNormal: Expect(4, p.Length == 4 && p[1] > 0 && p[2] < p[3]); return new TruncatedNormalDistribution(p[0], p[1], p[2], p[3]);
            case MarginalFamily.LogNormal: Expect(3, p.Length == 3 && p[1] > 0); return new LogNormalDistribution(p[0], p[1], p[2]);
            case MarginalFamily.Gamma: Expect(3, p.Length == 3 && p[0] > 0 && p[1] > 0); return new GammaDistribution(p[0], p[1], p[2]);
            case MarginalFamily.Beta: Expect(4, p.Length == 4 && p[0] > 0 && p[1] > 0 && p[2] < p[3]); return new BetaDistribution(p[0], p[1], p[2], p[3]);
            case MarginalFamily.Uniform: Expect(2, p.Length == 2 && p[0] < p[1]); return new UniformDistribution(p[0], p[1]);
            case MarginalFamily.Empirical:
                Expect(0, true);
                var probabilities = knotProbabilities();
                var values = knotValues();
                if (probabilities.Length == 0 || probabilities.Length != values.Length)
                    throw new ArgumentException("empirical knots are missing or unequal in number");
                for (int i = 0; i < values.Length; i++)
                {
                    if (!double.IsFinite(values[i]) || !(probabilities[i] is >= 0 and <= 1)
                        || (i > 0 && (values[i] < values[i - 1] || probabilities[i] < probabilities[i - 1])))
                        throw new ArgumentException($"empirical knot {i} breaks monotonicity or range");
                }
                return new EmpiricalDistribution(probabilities, values);
            default:
                throw new ArgumentException($"'{family}' is not a fitted marginal family");
        }
    }
}
