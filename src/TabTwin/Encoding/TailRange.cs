namespace TabTwin.Encoding;

/// <summary>
/// The range a column's synthetic values may take: from the k-th smallest to the k-th largest training value (k =
/// <see cref="EncodingOptions.MinTailRows"/>), or the middle value when the column has fewer than 2k − 1 values. Why a
/// count of rows: the privacy concern is the few records that alone span the extremes, whatever the table's size.
/// </summary>
internal static class TailRange
{
    /// <summary>Index of the lower bound in <paramref name="count"/> sorted values (the upper one mirrors it).</summary>
    public static int LowIndex(int count, int tailRows) => Math.Max(0, Math.Min(tailRows - 1, (count - 1) / 2));

    public static (double Low, double High) Of(double[] sorted, int tailRows)
    {
        int low = LowIndex(sorted.Length, tailRows);
        return (sorted[low], sorted[sorted.Length - 1 - low]);
    }
}
