using TabTwin.Encoding;
using TabTwin.Synthesizers.GaussianCopula.Marginals;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// Learns a Gaussian copula from a table read in chunks (<c>fit --stream -s gaussian-copula</c>), in memory bounded by the
/// model: d² sums, not the rows.
/// <list type="bullet">
/// <item>From the seeded uniform sample the encoding was fitted on: the continuous marginals (a parametric or empirical fit
/// needs sorted values; on 200,000 sampled rows its KS error is about 0.003), the order of the categories along the main
/// latent factor, and the bands of the continuous columns' point masses.</item>
/// <item>From a first pass over every row: each category's count and each column's missing count, exactly, so the discrete
/// marginals and missing rates are the table's own (a category or missing value the sample never saw gets its share).</item>
/// <item>From a second pass: the pairwise-complete Pearson correlations of the normal scores, as sums of x, y, x², y², xy
/// and the count per pair, then corrected for bands, repaired and shrunk as in memory.</item>
/// </list>
/// Deterministic and independent of the chunk size and thread count: a banded score's point is hashed from its global row
/// number, counts are integers, and each pair's sums add the rows one by one in row order (threads split the pairs, never
/// the rows). With the whole table as the sample it is the in-memory fit up to the rounding of those sums.
/// </summary>
internal static class StreamingCopulaFitter
{
    public static CopulaParameters Fit(ITableChunkSource source, TableEncoding encoding, EncodedTable sample, CopulaFitSettings settings, ulong seed,
        ParallelOptions parallel, IProgress<StepProgress>? progress)
    {
        var (fromSample, _) = CopulaFitter.FitColumns(sample, settings, seed, parallel, null);
        var columns = WithExactCounts(fromSample, Count(source, encoding, sample.Columns.Count, parallel));
        progress?.Report(new StepProgress("counts", 1));

        int d = columns.Sum(c => (c.ValueDimension >= 0 ? 1 : 0) + (c.MissingDimension >= 0 ? 1 : 0));
        var ranges = SampleRanges(sample);
        var sums = new PairSums(d);
        long firstRow = 0;
        foreach (var chunk in source.ReadChunks(parallel.CancellationToken))
        {
            var encoded = encoding.EncodeUnseen(chunk);
            ClampToRanges(encoded, ranges);
            var scores = new double[d][];
            Parallel.For(0, columns.Length, parallel, c => CopulaFitter.WriteScores(encoded[c], columns[c], scores, seed, firstRow));
            sums.Add(scores, parallel);
            firstRow += chunk.RowCount;
        }
        progress?.Report(new StepProgress("correlation", 1));
        var correlation = CorrelationMatrix.FromPairwise(sums.Correlations(), d, CopulaFitter.Bands(sample, columns, d, parallel), settings.Shrinkage);
        return new CopulaParameters(columns, correlation);
    }

    /// <summary>The smallest and largest present value of each continuous column of the sample (null: discrete or all missing).</summary>
    private static (double Min, double Max)?[] SampleRanges(EncodedTable sample) => [.. Enumerable.Range(0, sample.Columns.Count).Select(c =>
    {
        var column = sample[c];
        if (column.Kind != EncodedKind.Continuous) return ((double, double)?)null;
        var present = Enumerable.Range(0, column.Length).Where(i => !column.Missing[i]).Select(i => column.Values![i]).ToArray();
        return present.Length == 0 ? null : (present.Min(), present.Max());
    })];

    /// <summary>
    /// Moves values beyond the sample's range to its ends. The marginal was fitted on the sample, so a value outside it has
    /// probability 0 above (or below) and its score would sit at Φ⁻¹'s guard, ±8.2: a few such rows of a long tail (titanic's
    /// parch 3–9 beyond a 300-row sample's 0–2) outweighed the rest and took a correlation from −0.10 to 0. At the sample's
    /// end they share its extreme band, which is what the marginal says of them (and all that sampling can give back).
    /// </summary>
    private static void ClampToRanges(EncodedTable chunk, (double Min, double Max)?[] ranges)
    {
        for (int c = 0; c < ranges.Length; c++)
        {
            if (ranges[c] is not var (min, max)) continue;
            var values = chunk[c].Values!;
            for (int i = 0; i < values.Length; i++) values[i] = Math.Clamp(values[i], min, max);
        }
    }

    /// <summary>Per column, the count of each code (discrete; the last is missing) or of present and missing rows (continuous).</summary>
    private static long[][] Count(ITableChunkSource source, TableEncoding encoding, int columnCount, ParallelOptions parallel)
    {
        long[][]? counts = null;
        foreach (var chunk in source.ReadChunks(parallel.CancellationToken))
        {
            var encoded = encoding.EncodeUnseen(chunk);
            counts ??= Enumerable.Range(0, columnCount).Select(c => new long[encoded[c].Kind == EncodedKind.Discrete ? encoded[c].Cardinality + 1 : 2]).ToArray();
            Parallel.For(0, columnCount, parallel, c =>
            {
                var column = encoded[c];
                var into = counts[c];
                for (int i = 0; i < column.Length; i++)
                {
                    bool missing = column.Missing[i];
                    if (column.Kind == EncodedKind.Discrete) into[missing ? column.Cardinality : column.Codes![i]]++;
                    else if (missing) into[1]++;
                    else if (!double.IsFinite(column.Values![i])) throw CopulaFitter.NonFinite(column.Name, column.Values[i]);
                    else into[0]++;
                }
            });
        }
        return counts ?? throw new ArgumentException("Cannot fit a copula to an empty table.");
    }

    /// <summary>
    /// The sample's columns with the table's counts: discrete marginals in the sample's order (codes the sample never held
    /// after it, by code), missing rates and flags; dimensions renumbered, since a column may have missing rows only
    /// outside the sample.
    /// </summary>
    private static CopulaColumn[] WithExactCounts(CopulaColumn[] columns, long[][] counts)
    {
        var result = new CopulaColumn[columns.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            var column = columns[c];
            long[] n = counts[c];
            long total = n.Sum(), missing = column.Kind == EncodedKind.Discrete ? n[column.Cardinality] : n[1];
            column = column with { MissingFraction = missing / (double)total };
            if (column.Kind == EncodedKind.Discrete)
            {
                var order = column.Discrete?.Order ?? [];
                var unseen = Enumerable.Range(0, n.Length).Where(code => n[code] > 0).Except(order).Order();
                column = column with { Discrete = CategoricalMarginal.FromCounts(n, order.Concat(unseen)) };
            }
            else if (column.Continuous is not null)
                column = column with { MissingFlag = missing > 0 ? CategoricalMarginal.FromCounts([total - missing, missing], [0, 1]) : null };
            result[c] = column;
        }
        return CopulaFitter.AssignDimensions(result);
    }

    /// <summary>Per pair of dimensions, the sums of a pairwise-complete Pearson correlation, each added in row order.</summary>
    private sealed class PairSums(int d)
    {
        // Index i·d + j for j < i: count, Σx, Σy, Σx², Σy², Σxy over rows where both scores are present (x from i, y from j).
        private readonly double[][] _sums = Enumerable.Range(0, d * d).Select(_ => new double[6]).ToArray();

        public void Add(double[][] scores, ParallelOptions parallel) => Parallel.For(0, d, parallel, i =>
        {
            var a = scores[i];
            for (int j = 0; j < i; j++)
            {
                var b = scores[j];
                var s = _sums[i * d + j];
                double n = s[0], sa = s[1], sb = s[2], saa = s[3], sbb = s[4], sab = s[5];
                for (int r = 0; r < a.Length; r++)
                {
                    double x = a[r], y = b[r];
                    if (double.IsNaN(x) || double.IsNaN(y)) continue;
                    n++; sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
                }
                s[0] = n; s[1] = sa; s[2] = sb; s[3] = saa; s[4] = sbb; s[5] = sab;
            }
        });

        /// <summary>The correlations (row-major, unit diagonal); 0 where a pair has under two rows or a constant score, as in memory.</summary>
        public double[] Correlations()
        {
            var r = new double[d * d];
            for (int i = 0; i < d; i++)
            {
                r[i * d + i] = 1;
                for (int j = 0; j < i; j++)
                {
                    var s = _sums[i * d + j];
                    double n = s[0];
                    double cov = s[5] - s[1] * s[2] / n, va = s[3] - s[1] * s[1] / n, vb = s[4] - s[2] * s[2] / n;
                    double c = n >= 2 && va > 0 && vb > 0 ? cov / Math.Sqrt(va * vb) : 0;
                    r[i * d + j] = r[j * d + i] = double.IsFinite(c) ? Math.Clamp(c, -1, 1) : 0;
                }
            }
            return r;
        }
    }
}
