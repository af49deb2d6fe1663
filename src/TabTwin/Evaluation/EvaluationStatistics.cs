using TabTwin.Randomness;
namespace TabTwin.Evaluation;

/// <summary>A share with its Wilson score 95% confidence interval.</summary>
public sealed record ProportionEstimate(double Value, double Lower, double Upper, int Trials);

/// <summary>Small statistics shared by the privacy, utility and detection metrics.</summary>
public static class EvaluationStatistics
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Wilson score interval for a share <paramref name="share"/> observed over <paramref name="trials"/> trials:
    /// (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n). Unlike p ± z·√(p(1−p)/n) it stays inside [0, 1] and is
    /// not degenerate at p = 0 or 1.
    /// </summary>
    public static ProportionEstimate Wilson(double share, int trials, double z = Z95)
    {
        if (trials <= 0) return new(double.NaN, double.NaN, double.NaN, 0);
        double n = trials, z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (share + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(share * (1 - share) / n + z2 / (4 * n * n));
        return new(share, Math.Max(0, center - half), Math.Min(1, center + half), trials);
    }

    /// <summary>
    /// Area under the ROC curve = P(score of a random positive > score of a random negative) + ½ P(equal), from
    /// average ranks (Mann–Whitney U). NaN when either group is empty.
    /// </summary>
    public static double Auc(ReadOnlySpan<double> positiveScores, ReadOnlySpan<double> negativeScores)
    {
        int p = positiveScores.Length, n = negativeScores.Length;
        if (p == 0 || n == 0) return double.NaN;
        var all = new (double Score, bool Positive)[p + n];
        for (int i = 0; i < p; i++) all[i] = (positiveScores[i], true);
        for (int i = 0; i < n; i++) all[p + i] = (negativeScores[i], false);
        Array.Sort(all, (a, b) => a.Score.CompareTo(b.Score));
        double positiveRankSum = 0;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].Score.CompareTo(all[i].Score) == 0) j++;
            double averageRank = (i + 1 + j) / 2.0; // ranks i+1..j share their mean
            for (int k = i; k < j; k++) if (all[k].Positive) positiveRankSum += averageRank;
            i = j;
        }
        return (positiveRankSum - p * (p + 1) / 2.0) / ((double)p * n);
    }

    /// <summary><paramref name="count"/> distinct row indices of 0..<paramref name="rows"/>−1 drawn with a seeded partial Fisher–Yates shuffle, sorted; all rows when count ≥ rows.</summary>
    public static int[] SampleRows(int rows, int count, ulong seed, ulong stream)
    {
        var all = Enumerable.Range(0, rows).ToArray();
        if (count >= rows) return all;
        var rng = Randomness.SeededRandom.For(seed, stream);
        for (int i = 0; i < count; i++)
        {
            int j = i + rng.NextInt(rows - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        var chosen = all.AsSpan(0, count).ToArray();
        Array.Sort(chosen);
        return chosen;
    }
}
