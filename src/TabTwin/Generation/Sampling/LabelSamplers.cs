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

    /// <summary>codes[i] = Code(u[i]); for a few labels without a branch per label (random u defeats branch prediction).</summary>
    public void Codes(ReadOnlySpan<double> u, Span<int> codes)
    {
        var c = _cumulative;
        if (c.Length > 8)
        {
            for (int i = 0; i < u.Length; i++) codes[i] = Code(u[i]);
            return;
        }
        // The first label whose cumulative share reaches u = how many of the (ascending) shares before the last lie below u.
        int inner = c.Length - 1;
        for (int i = 0; i < u.Length; i++)
        {
            double x = u[i];
            int code = 0;
            for (int j = 0; j < inner; j++) code += c[j] < x ? 1 : 0;
            codes[i] = code;
        }
    }

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
