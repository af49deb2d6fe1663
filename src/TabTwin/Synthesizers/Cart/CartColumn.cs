using TabTwin.Encoding;

namespace TabTwin.Synthesizers.Cart;

/// <summary>
/// The fitted model of one encoded column: how it is binned when it predicts later columns, its robust range,
/// and its trees. A discrete column has one classification tree whose last class (code = Cardinality) is
/// "missing". A continuous column has a regression tree over its present rows and, if it had missing values,
/// a two-class tree (0 = present, 1 = missing) consulted first.
/// </summary>
internal sealed record CartColumn(
    string Name,
    EncodedKind Kind,
    int Cardinality,
    double[] Edges,
    double Low,
    double High,
    CartTree Tree,
    CartTree? MissingTree)
{
    /// <summary>Bins as a predictor: codes plus a missing bin (discrete); value bins plus a missing bin (continuous).</summary>
    public int BinCount => Kind == EncodedKind.Discrete ? Cardinality + 1 : Edges.Length + 2;

    public int MissingBin => BinCount - 1;

    /// <summary>The first bin whose upper edge is ≥ <paramref name="value"/> (the last value bin when above every edge).</summary>
    public static int BinOf(double value, double[] edges)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (value <= edges[mid]) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
