using System.Globalization;

namespace TabTwin.Sampling.Rebalancing;

/// <summary>One requested share: a class as the user wrote it and the fraction of rows it should get.</summary>
public sealed record ClassShare(string Class, double Share);

/// <summary>
/// Requested class shares for one target column, as written on the command line:
/// <c>column=class:share[,class:share…]</c>, e.g. <c>income=&gt;50K:0.5</c> or <c>class=a:0.2,b:0.3</c>. A share is a
/// fraction in [0, 1] or a percentage (<c>50%</c>). Classes left out share what remains in their original proportions.
/// The class value is split from its share at the last <c>:</c>, so values may contain colons; a column name may
/// contain <c>=</c> when the known columns are passed to <see cref="Parse"/>.
/// </summary>
public sealed class ClassShares
{
    private const double Tolerance = 1e-9;

    public ClassShares(string column, IReadOnlyList<ClassShare> shares)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(shares);
        Column = column;
        Shares = shares;
        foreach (var s in shares)
            if (!(s.Share >= 0 && s.Share <= 1))
                throw Error($"The share of class '{s.Class}' is {Show(s.Share)}; a share must lie between 0 and 1.", "rebalance.share-range");
        var duplicate = shares.GroupBy(s => s.Class, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw Error($"Class '{duplicate.Key}' is given a share twice.");
        double sum = shares.Sum(s => s.Share);
        if (sum > 1 + Tolerance)
            throw Error($"The shares of '{column}' add up to {Show(sum)}; together they cannot exceed 1.", "rebalance.shares-sum");
    }

    public string Column { get; }
    public IReadOnlyList<ClassShare> Shares { get; }

    public override string ToString() =>
        $"{Column}={string.Join(",", Shares.Select(s => $"{s.Class}:{s.Share.ToString("R", CultureInfo.InvariantCulture)}"))}";

    /// <summary>
    /// Parses <c>column=class:share[,class:share…]</c>. When <paramref name="knownColumns"/> is given and the text has
    /// several <c>=</c>, the split that names a known column wins. Malformed text throws <c>rebalance.syntax</c>.
    /// </summary>
    public static ClassShares Parse(string text, IEnumerable<string>? knownColumns = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        int eq = SplitColumn(text, knownColumns?.ToHashSet(StringComparer.Ordinal));
        if (eq <= 0 || eq == text.Length - 1)
            throw Error($"'{text}' is not of the form column=class:share (e.g. income=>50K:0.5 or class=a:0.2,b:0.3).");
        string column = text[..eq].Trim();
        var shares = new List<ClassShare>();
        foreach (var part in text[(eq + 1)..].Split(','))
        {
            int colon = part.LastIndexOf(':');
            if (colon <= 0)
                throw Error($"'{part.Trim()}' in '{text}' is not of the form class:share (e.g. >50K:0.5).");
            string cls = part[..colon].Trim(), number = part[(colon + 1)..].Trim();
            shares.Add(new ClassShare(cls, ParseShare(number, cls)));
        }
        return new ClassShares(column, shares);
    }

    private static int SplitColumn(string text, HashSet<string>? known)
    {
        if (known is not null)
            for (int i = text.IndexOf('='); i > 0; i = text.IndexOf('=', i + 1))
                if (known.Contains(text[..i].Trim())) return i;
        return text.IndexOf('=');
    }

    private static double ParseShare(string number, string cls)
    {
        bool percent = number.EndsWith('%');
        var digits = percent ? number[..^1].Trim() : number;
        if (!double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw Error($"The share '{number}' of class '{cls}' is not a number (write e.g. 0.5 or 50%).");
        if (percent) v /= 100;
        if (v < 0) throw Error($"The share of class '{cls}' is {number}; a share cannot be negative.", "rebalance.share-range");
        if (v > 1) throw Error($"The share of class '{cls}' is {number}; a share cannot exceed 1 (100%).", "rebalance.share-range");
        return v;
    }

    /// <summary>
    /// Row counts per class of <paramref name="original"/> (same order as its <see cref="ClassDistribution.Classes"/>)
    /// and for missing targets (last, 0 when the original has none), summing to exactly <paramref name="rows"/>.
    /// Named classes get their share; the others (and the missing-target group) split the remainder in their original
    /// proportions. Counts are rounded by largest remainder. Unknown classes throw <c>rebalance.unknown-class</c>;
    /// shares naming every class but not summing to 1 throw <c>rebalance.shares-sum</c>.
    /// </summary>
    public (int[] PerClass, int Missing) Counts(ClassDistribution original, int rows)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (original.Target != Column)
            throw new ArgumentException($"These shares are for column '{Column}', not '{original.Target}'.");
        int k = original.Classes.Count;
        var share = new double[k + 1];            // index k = missing-target group
        var named = new bool[k + 1];
        foreach (var s in Shares)
        {
            int i = original.Resolve(s.Class);
            if (named[i]) throw Error($"Class '{original.Classes[i].Class}' is given a share twice ('{s.Class}').");
            named[i] = true;
            share[i] = s.Share;
        }
        double given = share.Sum();
        double free = Enumerable.Range(0, k + 1).Where(i => !named[i]).Sum(i => (double)GroupCount(original, i));
        if (free == 0)
        {
            if (Math.Abs(given - 1) > 1e-6)
                throw new TabTwinException("rebalance.shares-sum",
                    $"The shares name every class of '{Column}' but add up to {Show(given)}; they must add up to 1.", column: Column);
        }
        else
            for (int i = 0; i <= k; i++) if (!named[i]) share[i] = Math.Max(0, 1 - given) * GroupCount(original, i) / free;
        var counts = LargestRemainder(share, rows);
        return (counts[..k], counts[k]);
    }

    private static int GroupCount(ClassDistribution d, int i) => i < d.Classes.Count ? d.Classes[i].Count : d.MissingCount;

    /// <summary>Integer parts of share·rows, then one more row each to the largest fractional parts (ties: lower index) until the sum is rows.</summary>
    internal static int[] LargestRemainder(double[] shares, int rows)
    {
        double total = shares.Sum();
        var exact = shares.Select(s => total > 0 ? s / total * rows : 0).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        int left = rows - counts.Sum();
        foreach (int i in Enumerable.Range(0, shares.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(left)) counts[i]++;
        return counts;
    }

    private static string Show(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static TabTwinException Error(string message, string code = "rebalance.syntax") =>
        new(code, message, hint: "Write shares as column=class:share[,class:share…], e.g. income=>50K:0.5 or class=a:0.2,b:0.3.");
}
