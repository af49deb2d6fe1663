using TabTwin.DifferentialPrivacy;
using TabTwin.Distributions;
using TabTwin.Encoding;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Private;

/// <summary>
/// Builds every column's public domain, paying from the accountant for what the metadata does not declare. Metadata
/// derived from the data leaks (a column's minimum is a real person's value), so:
/// <list type="bullet">
/// <item>numbers without declared <c>min</c>/<c>max</c> get a range from a noisy histogram over a public grid
/// (integers to ±100, ±10^(k/20) from 10⁻³ to 10¹⁹ beyond), see <see cref="NoisyRange"/>;</item>
/// <item>labels without declared <c>categories</c> are released by Gaussian thresholding: a value is kept when its
/// count plus N(0, σ²) exceeds 1 + σ·Φ⁻¹(1 − δ_column), which is ρ = 1/(2σ²)-zCDP plus δ_column (a value one person
/// adds is released with probability at most δ_column);</item>
/// <item>ids and personal data are never read: keys are regenerated in the declared format, personal data faked.</item>
/// </list>
/// The column kinds, names, storage types and declared formats are the metadata, which is public by definition: users
/// review it (<c>tabtwin inspect</c> writes it) before a DP run.
/// </summary>
internal static class DpDomainFitter
{
    /// <summary>Bins of a number column whose range is not a short run of integers.</summary>
    public const int NumberBins = 64;
    /// <summary>An integer column spanning at most this many values gets one bin per value.</summary>
    public const int MaxIntegerBins = 128;
    /// <summary>The count a released value's noisy count must clear before the noise margin (TabTwin's rare-value rule).</summary>
    private const double RareMinimum = TrainingSize.GroupSize;

    private static readonly double[] Candidates = BuildCandidates();
    /// <summary>
    /// Datetimes (days since 2000-01-01): steps of 7 days within ±150 years, the number grid beyond. A log grid there
    /// would step by years.
    /// </summary>
    private static readonly double[] DayCandidates =
        [.. Candidates.Where(v => Math.Abs(v) > 55_000).Concat(Enumerable.Range(-7_850, 15_701).Select(k => 7.0 * k)).Order()];

    private static double[] BuildCandidates()
    {
        // Unit steps from −100 to 100 (small integers are the commonest numbers: counts, ages, scores, and a log grid
        // would leave gaps between them that stop the tail search), log steps of 10^(1/20) outside.
        var list = new List<double>();
        for (int k = -100; k <= 100; k++) list.Add(k);
        for (int k = -60; k <= 380; k++)
        {
            double v = Math.Pow(10, k / 20.0);
            if (v > 100 || v < 1) { list.Add(v); list.Add(-v); }
        }
        list.Sort();
        return [.. list];
    }

    /// <summary>
    /// What the domains cost: the columns whose range, value list (category values, datetime UTC offsets) or missing
    /// count (personal data) must be released because the metadata does not declare it, with one of them to name.
    /// </summary>
    internal sealed record Releases(int Ranges, int ValueLists, int MissingCounts, string? FirstColumn, string? FirstWhat)
    {
        public bool Any => Ranges + ValueLists + MissingCounts > 0;
    }

    public static Releases Needed(Table table, TableSchema schema)
    {
        int ranges = 0, lists = 0, counts = 0;
        string? first = null, what = null;
        void Note(string column, string needs) { if (first is null) (first, what) = (column, needs); }
        foreach (var c in schema.Columns)
        {
            var role = RoleOf(c);
            if (role == DpColumnRole.Numbers && (c.Min is null || c.Max is null)) { ranges++; Note(c.Name, "bounds (min/max)"); }
            if (role == DpColumnRole.Labels && c.Categories is null && c.Kind != ColumnKind.Boolean) { lists++; Note(c.Name, "categories"); }
            if (role == DpColumnRole.Numbers && table.TryGetColumn(c.Name, out var column) && column is DateTimeColumn { HasOffset: true }) { lists++; Note(c.Name, "UTC offsets"); }
            if (role == DpColumnRole.Pii) { counts++; Note(c.Name, "missing count"); }
        }
        return new Releases(ranges, lists, counts, first, what);
    }

    internal static DpColumnRole RoleOf(ColumnSchema column) => column.Kind switch
    {
        ColumnKind.Numerical or ColumnKind.Datetime => DpColumnRole.Numbers,
        ColumnKind.Id => DpColumnRole.Id,
        ColumnKind.Pii => DpColumnRole.Pii,
        _ => DpColumnRole.Labels,
    };

    /// <summary>
    /// The domains of every column of <paramref name="table"/>, spending at most <paramref name="rho"/> and
    /// <paramref name="delta"/> (split evenly over the releases needed).
    /// </summary>
    public static DpColumnDomain[] Fit(Table table, TableSchema schema, PrivacyAccountant accountant, double rho, double delta, ulong seed)
    {
        var needed = Needed(table, schema);
        double deltaEach = needed.ValueLists == 0 ? 0 : delta / needed.ValueLists;
        // A range and a value list get equal shares; a missing count, half.
        double units = needed.Ranges + needed.ValueLists + 0.5 * needed.MissingCounts;
        double rhoNumber = units == 0 ? 0 : rho / units, rhoLabel = rhoNumber;
        var domains = new DpColumnDomain[table.ColumnCount];
        for (int j = 0; j < table.ColumnCount; j++)
        {
            var column = table[j];
            var declared = schema.Columns.FirstOrDefault(c => c.Name == column.Name)
                ?? new ColumnSchema { Name = column.Name, Kind = ColumnKind.Categorical };
            var random = SeededRandom.For(seed, (ulong)j);
            var storage = StorageSpec.Of(column);
            domains[j] = RoleOf(declared) switch
            {
                DpColumnRole.Id => new DpColumnDomain { Name = column.Name, Role = DpColumnRole.Id, Storage = storage, IdPattern = declared.Format },
                DpColumnRole.Pii => new DpColumnDomain
                {
                    Name = column.Name, Role = DpColumnRole.Pii, Storage = storage, Pii = declared.Pii,
                    MissingRate = NoisyMissingRate(column, accountant, rhoNumber / 2, random),
                },
                DpColumnRole.Numbers => WithOffsets(NumberDomain(column, declared, storage, accountant, rhoNumber, random), column, accountant, rhoLabel, deltaEach, random),
                _ => LabelDomain(column, declared, storage, accountant, rhoLabel, deltaEach, random),
            };
        }
        return domains;
    }

    /// <summary>The share of missing rows from their count plus N(0, σ²) (one row changes it by 1), clipped to [0, 1].</summary>
    private static double NoisyMissingRate(Column column, PrivacyAccountant accountant, double rho, SeededRandom random)
    {
        accountant.Charge(new PrivacyCharge($"missing count of '{column.Name}'", "Gaussian mechanism", rho));
        double noisy = column.MissingCount + new DiscreteGaussian(GaussianMechanism.Sigma(rho)).Next(random);
        return column.Length == 0 ? 0 : Math.Clamp(noisy / column.Length, 0, 1);
    }

    /// <summary>A datetime column's UTC offsets, released like label values (thresholded Gaussian) with their noisy counts as weights.</summary>
    private static DpColumnDomain WithOffsets(DpColumnDomain domain, Column column, PrivacyAccountant accountant, double rho, double delta, SeededRandom random)
    {
        if (column is not DateTimeColumn { HasOffset: true } d) return domain;
        var counts = new SortedDictionary<short, int>();
        for (int i = 0; i < d.Length; i++) if (!d.IsMissing(i)) counts[d.OffsetMinutes[i]] = counts.GetValueOrDefault(d.OffsetMinutes[i]) + 1;
        var noise = new DiscreteGaussian(GaussianMechanism.Sigma(rho));
        double threshold = RareMinimum + noise.Sigma * NormalMath.InverseCdf(1 - delta);
        accountant.Charge(new PrivacyCharge($"UTC offsets of '{column.Name}'", "thresholded Gaussian selection", rho, delta));
        var released = new List<(short Offset, double Weight)>();
        foreach (var (offset, count) in counts)
            if (count + noise.Next(random) is var noisy && noisy > threshold) released.Add((offset, noisy));
        if (released.Count == 0) released.Add((0, 1));   // none stands out: UTC, which no row reveals
        double sum = 0;
        return domain with { Offsets = [.. released.Select(r => r.Offset)], OffsetCumulative = [.. released.Select(r => sum += r.Weight)] };
    }

    private static DpColumnDomain LabelDomain(Column column, ColumnSchema declared, StorageSpec storage, PrivacyAccountant accountant,
        double rho, double delta, SeededRandom random)
    {
        if (declared.Categories is { } categories)
            return new DpColumnDomain { Name = column.Name, Role = DpColumnRole.Labels, Storage = storage, Labels = [.. categories.Distinct()] };
        if (column is BooleanColumn b)
            return new DpColumnDomain { Name = column.Name, Role = DpColumnRole.Labels, Storage = storage, Labels = [b.FalseToken, b.TrueToken] };
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < column.Length; i++)
            if (column.FormatValue(i) is { } s) counts[s] = counts.GetValueOrDefault(s) + 1;
        var noise = new DiscreteGaussian(GaussianMechanism.Sigma(rho));
        // Released when the noisy count clears RareMinimum + σ·Φ⁻¹(1 − δ): the δ part makes a value one person adds
        // appear with probability below δ (the DP argument needs only a count of 1 under the cut), the RareMinimum part
        // keeps TabTwin's rule that a value fewer than five real rows hold is never emitted, whatever ε.
        // The noise X is the discrete Gaussian, whose tail is at most the continuous one shifted by one:
        // P[X ≥ m] ≤ P[N(0, σ²) ≥ m − 1] for m ≥ 1 (its normaliser Σ exp(−k²/2σ²) is at least √(2π)·σ by Poisson
        // summation, and the sum over k ≥ m is at most the integral from m − 1). A count of 1 clears the cut T when
        // X ≥ ⌊T⌋, so with probability ≤ P[N ≥ T − 2] ≤ δ as long as RareMinimum ≥ 2: the cut needs no change.
        double threshold = RareMinimum + noise.Sigma * NormalMath.InverseCdf(1 - delta);
        accountant.Charge(new PrivacyCharge($"values of '{column.Name}'", "thresholded Gaussian selection", rho, delta));
        // Values are visited in a fixed (ordinal) order so the noise each gets does not depend on the row order.
        var released = new List<string>();
        foreach (var value in counts.Keys.Order(StringComparer.Ordinal))
            if (counts[value] + noise.Next(random) > threshold) released.Add(value);
        return new DpColumnDomain { Name = column.Name, Role = DpColumnRole.Labels, Storage = storage, Labels = [.. released] };
    }

    private static DpColumnDomain NumberDomain(Column column, ColumnSchema declared, StorageSpec storage, PrivacyAccountant accountant,
        double rho, SeededRandom random)
    {
        bool datetime = column is DateTimeColumn;
        bool integer = datetime ? ((DateTimeColumn)column).IsDateOnly : storage.IsInteger;
        double low, high;
        if (declared.Min is { } min && declared.Max is { } max && !datetime)
            (low, high) = (min, max);
        else
        {
            var values = new List<double>(column.Length);
            for (int i = 0; i < column.Length; i++) if (DpColumnDomain.NumberAt(column, i) is { } v) values.Add(v);
            accountant.Charge(new PrivacyCharge($"range of '{column.Name}'", "Gaussian mechanism (histogram on a public grid)", rho));
            var range = NoisyRange(values, datetime ? DayCandidates : Candidates, GaussianMechanism.Sigma(rho), random)
                ?? throw new TabTwinException("dp.budget-too-small",
                    $"Column '{column.Name}': the privacy budget is too small to find its range (no part of the range holds enough rows to stand out from the noise).",
                    column: column.Name, hint: $"Declare public bounds in the metadata (\"min\" and \"max\" of '{column.Name}'), or raise --epsilon.");
            low = declared.Min ?? range.Low;
            high = declared.Max ?? range.High;
            if (high < low) (low, high) = (high, low);
        }
        if (integer) (low, high) = (Math.Floor(low), Math.Ceiling(high));
        if (high <= low) high = low + 1;
        bool perInteger = integer && high - low + 1 <= MaxIntegerBins;
        return new DpColumnDomain
        {
            Name = column.Name, Role = DpColumnRole.Numbers, Storage = storage, Low = low, High = high, Integer = integer,
            PerInteger = perInteger, Bins = perInteger ? (int)(high - low + 1) : NumberBins,
            ZeroAtom = !perInteger && low <= 0 && high > 0, Datetime = datetime,
        };
    }

    /// <summary>
    /// The range of <paramref name="values"/> from a noisy histogram over the public grid: bins are the gaps between
    /// consecutive candidates, each count gets N(0, σ²) (one row is in one bin: sensitivity 1), and the range runs from
    /// the lowest to the highest bin whose noisy count clears σ·Φ⁻¹(1 − 10⁻³/bins/9), so an empty bin passes by noise
    /// alone in fewer than one column in a thousand, then grows over neighbouring bins that clear 2σ. Thinner tails are
    /// clipped, which also protects the people in them. Null when nothing clears the cut at any resolution.
    /// </summary>
    private static (double Low, double High)? NoisyRange(List<double> values, double[] grid, double sigma, SeededRandom random)
    {
        int bins = grid.Length - 1;
        var counts = new double[bins];
        foreach (double v in values)
        {
            int upper = UpperBound(grid, v);                 // first candidate > v
            counts[Math.Clamp(upper - 1, 0, bins - 1)]++;
        }
        var noisy = (double[])counts.Clone();
        GaussianMechanism.AddNoise(noisy, sigma, random);
        // Spread-out values (few rows per bin) are found at a coarser resolution: blocks of w neighbouring bins, whose
        // summed noisy counts carry noise σ·√w (post-processing: no extra budget). The finest resolution that finds
        // something is used.
        for (int width = 1; width <= 256; width *= 2)
        {
            int blocks = (bins + width - 1) / width;
            var sums = new double[blocks];
            for (int k = 0; k < bins; k++) sums[k / width] += noisy[k];
            double blockSigma = sigma * Math.Sqrt(width);
            double threshold = blockSigma * NormalMath.InverseCdf(1 - 1e-3 / blocks / 9);   // 9 resolutions tried
            int first = -1, last = -1;
            for (int b = 0; b < blocks; b++)
            {
                if (sums[b] <= threshold) continue;
                if (first < 0) first = b;
                last = b;
            }
            if (first < 0) continue;
            // The tails: neighbouring blocks are added while they clear 2σ (see Grows). Only runs next to the core are
            // tested, so noise alone rarely extends it, and a thin real tail is kept, not clipped.
            while (Grows(sums, ref first, -1, blockSigma)) { }
            while (Grows(sums, ref last, +1, blockSigma)) { }
            return (grid[first * width], grid[Math.Min(bins, (last + 1) * width)]);
        }
        return null;
    }

    /// <summary>
    /// Moves <paramref name="edge"/> one step outward over the next 1, 2 or 4 blocks when their summed noisy count clears
    /// 2σ·√k (a gap between integer values, or a tail spread thin, is crossed when what lies past it stands out).
    /// </summary>
    private static bool Grows(double[] sums, ref int edge, int direction, double sigma)
    {
        foreach (int k in (int[])[1, 2, 4])
        {
            double sum = 0;
            int reached = edge;
            for (int step = 1; step <= k; step++)
            {
                int at = edge + direction * step;
                if (at < 0 || at >= sums.Length) return false;
                sum += sums[at];
                reached = at;
            }
            if (sum > 2 * sigma * Math.Sqrt(k)) { edge = reached; return true; }
        }
        return false;
    }

    private static int UpperBound(IReadOnlyList<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (sorted[mid] <= value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
