using System.Globalization;
using TabTwin.Sampling.Rebalancing;

namespace TabTwin.Augmentation;

/// <summary>
/// Decides how many rows each class gets so that every class ends with at least the wanted share. Classes below the
/// share are raised to exactly it; adding rows shrinks the others' shares, so a class just above it may have to be
/// raised too (repeated until nothing changes). With raised set S and N rows of which c_i hold class i, the output has
/// T = (N − Σ_S c_i) / (1 − |S|·to) rows and each raised class round(to·T) of them. Rows with a missing target are
/// kept as they are and count towards N.
/// </summary>
public static class AugmentPlanner
{
    public static AugmentPlan Plan(ClassDistribution original, double to)
    {
        ArgumentNullException.ThrowIfNull(original);
        int k = original.Classes.Count;
        if (!(to > 0 && to < 1))
            throw new TabTwinException("augment.share-range", $"The wanted share {Show(to)} must lie strictly between 0 and 1 (e.g. 0.3).",
                column: original.Target);
        if (k < 2)
            throw new TabTwinException("augment.single-class",
                $"The target column '{original.Target}' has {(k == 0 ? "no class" : $"only one class ('{original.Classes[0].Class}')")}; there is no rarer class to raise.",
                column: original.Target);
        if (to > 1.0 / k + 1e-12)
            throw new TabTwinException("augment.share-too-high",
                $"The target column '{original.Target}' has {k} classes, so no share above 1/{k} = {Show(1.0 / k)} can be reached by every class; {Show(to)} was asked.",
                column: original.Target, hint: $"Ask for at most {Show(Math.Floor(1e4 / k) / 1e4)}.");
        var counts = original.Classes.Select(c => (double)c.Count).ToArray();
        var raised = new bool[k];
        for (int i = 0; i < k; i++) raised[i] = counts[i] < to * original.Total;
        double total = original.Total;
        while (true)
        {
            int s = raised.Count(r => r);
            // to ≤ 1/k keeps the most frequent class above the share, so s < k and 1 − s·to > 0 — unless rows with a
            // missing target take so much room that every class falls below it: then only missing rows would remain to fill up to T.
            if (s * to >= 1 - 1e-12)
                throw new TabTwinException("augment.share-too-high",
                    $"Every class of '{original.Target}' would need exactly {Show(to)} of the rows, leaving no room for the {original.MissingCount} rows with a missing target; ask for less than {Show(to)}.",
                    column: original.Target);
            total = (original.Total - Enumerable.Range(0, k).Where(i => raised[i]).Sum(i => counts[i])) / (1 - s * to);
            bool grew = false;
            for (int i = 0; i < k; i++)
                if (!raised[i] && counts[i] < to * total - 1e-9) { raised[i] = true; grew = true; }
            if (!grew) break;
        }
        var added = new int[k];
        for (int i = 0; i < k; i++)
            if (raised[i]) added[i] = Math.Max(0, (int)Math.Round(to * total - counts[i], MidpointRounding.AwayFromZero));
        return new AugmentPlan(original, to, added);
    }

    private static string Show(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
