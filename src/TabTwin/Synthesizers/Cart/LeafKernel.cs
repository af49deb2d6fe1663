namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// How a continuous leaf draw spreads around a stored value: a uniform kernel towards the mid-points with the nearest
/// distinct neighbours, scaled by <see cref="Jitter"/>. A value is a point mass (drawn exactly) only when enough
/// training rows share it — at least <see cref="MinPointRows"/> in a leaf that stores its values, or two stored
/// quantiles of a larger leaf: capital-gain = 0 stays 0, but a salary that two or three players earned is as
/// identifying as a unique one and is smoothed like one (issue 14: exact repeats of rare values pulled the
/// DCR share above 0.5).
/// </summary>
internal readonly record struct LeafKernel(double Jitter, int LeafQuantiles, int MinPointRows)
{
    /// <summary>The kernel of a model's options (no smoothing with privacy off).</summary>
    public static LeafKernel Of(CartOptions options) =>
        new(options.PrivacyOn ? options.Jitter : 0, options.LeafQuantiles, options.PrivacyOn ? options.Encoding.RareCategoryThreshold : 2);

    /// <summary>Stored value i as drawn: a point, or a uniform on [A, B].</summary>
    public (bool IsPoint, double A, double B) Component(ReadOnlySpan<double> q, int i)
    {
        int k = q.Length;
        double v = q[i];
        if (Jitter == 0 || k == 1) return (true, v, v);
        int first = i, last = i;
        while (first > 0 && q[first - 1] == v) first--;
        while (last < k - 1 && q[last + 1] == v) last++;
        int run = last - first + 1;
        bool storesValues = k < LeafQuantiles;
        if ((run >= 2 && (!storesValues || run >= MinPointRows)) || (first == 0 && last == k - 1)) return (true, v, v);
        double lo = first > 0 ? (q[first - 1] + v) / 2 : v - (q[last + 1] - v) / 2;
        double hi = last < k - 1 ? (v + q[last + 1]) / 2 : v + (v - q[first - 1]) / 2;
        double a = v + Jitter * (lo - v), b = v + Jitter * (hi - v);
        return a < b ? (false, a, b) : (true, v, v);
    }
}
