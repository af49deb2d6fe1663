using TabTwin.Distributions;

namespace TabTwin.Tests.GaussianCopula;

public sealed class NormalMathTests
{
    [Fact]
    public void Inverse_cdf_matches_mathnet_to_nine_digits_from_the_far_tails_to_the_centre()
    {
        foreach (var p in new[] { 1e-15, 1e-10, 1e-6, 0.001, 0.02, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.999, 1 - 1e-9 })
        {
            double expected = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);
            Assert.True(Math.Abs(NormalMath.InverseCdf(p) - expected) <= 1e-8 * Math.Max(1, Math.Abs(expected)), $"p = {p}: {NormalMath.InverseCdf(p)} vs {expected}");
            Assert.Equal(p, NormalMath.Cdf(NormalMath.InverseCdf(p)), p * 1e-7);
        }
        Assert.True(double.IsFinite(NormalMath.InverseCdf(0)) && double.IsFinite(NormalMath.InverseCdf(1)));
    }
}
