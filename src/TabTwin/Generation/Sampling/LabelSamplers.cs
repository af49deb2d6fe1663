using TabTwin.Generation.Spec;

namespace TabTwin.Generation.Sampling;

/// <summary>Categorical labels by inverse CDF over the listed order (so "later" labels pair with larger uniforms).</summary>
internal sealed class CategoricalSampler
{
    private readonly double[] _cumulative;

    public CategoricalSampler(Distribution.Categorical d)
    {
        Labels = d.Values.ToArray();
        _cumulative = new double[Labels.Length];
        double total = d.Weights.Sum(), sum = 0;
        for (int i = 0; i < Labels.Length; i++) { sum += d.Weights[i] / total; _cumulative[i] = sum; }
        _cumulative[^1] = 1;
    }

    public string[] Labels { get; }

    public int Code(double u)
    {
        var c = _cumulative;
        if (c.Length <= 8)
        {
            for (int i = 0; i < c.Length - 1; i++) if (u <= c[i]) return i;
            return c.Length - 1;
        }
        int lo = 0, hi = c.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (c[mid] >= u) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
