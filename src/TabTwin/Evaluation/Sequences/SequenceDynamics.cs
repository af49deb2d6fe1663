using TabTwin.Evaluation.Quality;

namespace TabTwin.Evaluation.Sequences;

/// <summary>Real and synthetic autocorrelation of one numerical step column at lags 1..k, and their mean absolute difference.</summary>
public sealed record AutocorrelationScore(string Column, IReadOnlyList<double> Real, IReadOnlyList<double> Synthetic, double MeanAbsoluteDifference)
{
    public double RealLag1 => Real.Count > 0 ? Real[0] : double.NaN;
    public double SyntheticLag1 => Synthetic.Count > 0 ? Synthetic[0] : double.NaN;
}

/// <summary>
/// Lag-1 autocorrelation of the log returns r_t = ln(x_t / x_{t−1}) of a positive ("price-like") step column and of
/// their absolute values, real and synthetic. For prices: returns ≈ 0 (no predictable drift), absolute returns &gt; 0
/// (volatility clustering); a synthesizer should match both.
/// </summary>
public sealed record ReturnDynamics(string Column, double RealReturnLag1, double SyntheticReturnLag1, double RealAbsoluteReturnLag1, double SyntheticAbsoluteReturnLag1);

/// <summary>Lag-1 transition matrix distance of one categorical step column (see <see cref="SequenceDynamics.TransitionDistance"/>).</summary>
public sealed record TransitionScore(string Column, double Distance, int RealTransitions, int SyntheticTransitions);

/// <summary>The distribution and dynamics metrics; pure functions of the prepared per-entity arrays.</summary>
internal static class SequenceDynamics
{
    /// <summary>Two-sample KS statistic between the per-entity sequence lengths (0 ideal).</summary>
    public static double LengthKs(SequenceData real, SequenceData synthetic)
        => Ks(Enumerable.Range(0, real.Count).Select(e => (double)real.LengthOf(e)).ToArray(),
              Enumerable.Range(0, synthetic.Count).Select(e => (double)synthetic.LengthOf(e)).ToArray());

    /// <summary>KS statistic between the pooled gaps between consecutive order values (days for datetimes); NaN when a side has none.</summary>
    public static double GapKs(SequenceData real, SequenceData synthetic)
        => Ks(Enumerable.Range(0, real.Count).SelectMany(real.GapsOf).ToArray(), Enumerable.Range(0, synthetic.Count).SelectMany(synthetic.GapsOf).ToArray());

    /// <summary>Share of steps after an entity's first whose order value equals the step before's (a zero gap); NaN without such steps.</summary>
    public static double RepeatedOrderShare(SequenceData data)
    {
        long steps = 0, repeated = 0;
        for (int e = 0; e < data.Count; e++)
            foreach (var gap in data.GapsOf(e)) { steps++; if (gap == 0) repeated++; }
        return steps == 0 ? double.NaN : repeated / (double)steps;
    }

    private static double Ks(double[] a, double[] b) => a.Length == 0 || b.Length == 0 ? double.NaN : KSComplement.KsStatistic(a, b);

    /// <summary>
    /// Pooled within-entity autocorrelation at lag k: every series is centred on its own entity mean m_e (present values),
    /// then r_k = Σ_e Σ_t (x_t − m_e)(x_{t+k} − m_e) / Σ_e Σ_t (x_t − m_e)², the numerator over pairs with both values
    /// present, the denominator over present values. Removing entity means keeps level differences between entities
    /// (one stock trades at 20, another at 900) from posing as autocorrelation. NaN without pairs or variation.
    /// </summary>
    public static double Autocorrelation(double[][] series, int lag)
    {
        double numerator = 0, denominator = 0;
        long pairs = 0;
        foreach (var x in series)
        {
            double sum = 0; int n = 0;
            foreach (var v in x) if (!double.IsNaN(v)) { sum += v; n++; }
            if (n == 0) continue;
            double mean = sum / n;
            for (int t = 0; t < x.Length; t++)
            {
                if (double.IsNaN(x[t])) continue;
                double d = x[t] - mean;
                denominator += d * d;
                if (t + lag < x.Length && !double.IsNaN(x[t + lag])) { numerator += d * (x[t + lag] - mean); pairs++; }
            }
        }
        return pairs == 0 || !(denominator > 0) ? double.NaN : numerator / denominator;
    }

    /// <summary>Per numerical column, autocorrelations at lags 1..<paramref name="maxLag"/> and their mean |real − synthetic| over the lags defined on both sides.</summary>
    public static List<AutocorrelationScore> Autocorrelations(SequenceData real, SequenceData synthetic, IReadOnlyList<string> columns, int maxLag)
    {
        var scores = new List<AutocorrelationScore>();
        for (int j = 0; j < columns.Count; j++)
        {
            var r = Enumerable.Range(1, maxLag).Select(k => Autocorrelation(real.Numbers[j], k)).ToArray();
            var s = Enumerable.Range(1, maxLag).Select(k => Autocorrelation(synthetic.Numbers[j], k)).ToArray();
            double diff = QualityKinds.MeanIgnoringNaN(r.Zip(s, (a, b) => Math.Abs(a - b)));
            scores.Add(new AutocorrelationScore(columns[j], r, s, diff));
        }
        return scores;
    }

    /// <summary>
    /// Return dynamics of every numerical step column whose present real values are all &gt; 0 (prices, volumes, amounts:
    /// the columns where a log return is defined). Returns involving a missing or non-positive value are missing.
    /// </summary>
    public static List<ReturnDynamics> Returns(SequenceData real, SequenceData synthetic, IReadOnlyList<string> columns)
    {
        var result = new List<ReturnDynamics>();
        for (int j = 0; j < columns.Count; j++)
        {
            if (!real.Numbers[j].All(x => x.All(v => double.IsNaN(v) || v > 0)) || !real.Numbers[j].Any(x => x.Length > 1)) continue;
            var (rr, ra) = LogReturns(real.Numbers[j]);
            var (sr, sa) = LogReturns(synthetic.Numbers[j]);
            result.Add(new ReturnDynamics(columns[j], Autocorrelation(rr, 1), Autocorrelation(sr, 1), Autocorrelation(ra, 1), Autocorrelation(sa, 1)));
        }
        return result;
    }

    private static (double[][] Returns, double[][] Absolute) LogReturns(double[][] series)
    {
        var returns = series.Select(x =>
        {
            var r = new double[Math.Max(0, x.Length - 1)];
            for (int t = 1; t < x.Length; t++) r[t - 1] = x[t] > 0 && x[t - 1] > 0 ? Math.Log(x[t] / x[t - 1]) : double.NaN;
            return r;
        }).ToArray();
        return (returns, returns.Select(r => r.Select(Math.Abs).ToArray()).ToArray());
    }

    /// <summary>
    /// Lag-1 transition matrix distance of a categorical step column: over consecutive steps (a, b) within entities (pairs
    /// with a missing value skipped), P(b | a) is the row-normalised count matrix on each side, and
    /// D = Σ_a w_a · ½ Σ_b |P_real(b | a) − P_synthetic(b | a)| with w_a the share of real transitions leaving a. A state the
    /// synthetic data never leaves counts as fully different (½ Σ = 1). D lies in [0, 1], 0 ideal; NaN when the real data
    /// has no transition.
    /// </summary>
    public static TransitionScore TransitionDistance(string column, int[][] real, int[][] synthetic, int states)
    {
        var (r, rRows, rTotal) = TransitionCounts(real, states);
        var (s, sRows, sTotal) = TransitionCounts(synthetic, states);
        if (rTotal == 0) return new TransitionScore(column, double.NaN, 0, sTotal);
        // Σ_b |P_r − P_s| over the pairs seen on either side (sparse: high-cardinality columns have few of states² pairs).
        var rowTv = new double[states];
        foreach (var (pair, count) in r) rowTv[pair.A] += Math.Abs(count / (double)rRows[pair.A] - (s.TryGetValue(pair, out int c) ? c / (double)sRows[pair.A] : 0));
        foreach (var (pair, count) in s) if (!r.ContainsKey(pair)) rowTv[pair.A] += count / (double)sRows[pair.A];
        double distance = 0;
        for (int a = 0; a < states; a++)
            if (rRows[a] > 0) distance += rRows[a] / (double)rTotal * (sRows[a] == 0 ? 1 : rowTv[a] / 2);
        return new TransitionScore(column, distance, rTotal, sTotal);
    }

    private static (Dictionary<(int A, int B), int> Counts, int[] RowTotals, int Total) TransitionCounts(int[][] sequences, int states)
    {
        var counts = new Dictionary<(int A, int B), int>();
        var rows = new int[states];
        int total = 0;
        foreach (var x in sequences)
            for (int t = 1; t < x.Length; t++)
                if (x[t - 1] >= 0 && x[t] >= 0)
                {
                    var key = (x[t - 1], x[t]);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                    rows[x[t - 1]]++;
                    total++;
                }
        return (counts, rows, total);
    }
}
