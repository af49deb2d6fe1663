using TabTwin.Encoding;
using TabTwin.Synthesizers.GaussianCopula.Marginals;
using TabTwin.Randomness;
using TabTwin.Distributions;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>Resolved fitting settings (options with every "auto" decided).</summary>
internal sealed record CopulaFitSettings(
    MarginalFitSettings Marginals,
    Func<string, MarginalFamily> FamilyForColumn,
    CategoryOrdering CategoryOrdering,
    double Shrinkage);

/// <summary>The learned copula: per-column marginals and the correlation of normal scores.</summary>
internal sealed record CopulaParameters(IReadOnlyList<CopulaColumn> Columns, CorrelationMatrix Correlation);

/// <summary>
/// Learns a Gaussian copula from an encoded table: fits each column's marginal, turns every value into a
/// normal score (values with a probability band — categories, point masses, whole numbers — get a
/// deterministic pseudo-random point inside the band, i.e. the latent normal truncated to that band),
/// optionally reorders categories along the main latent factor, and estimates the correlation (pairwise
/// Pearson, corrected to the latent scale for banded dimensions, repaired to positive definite).
/// Pure function of (table, settings, seed); independent of the thread count.
/// </summary>
internal static class CopulaFitter
{
    private const ulong JitterSalt = 0x4A17;
    private const int CategoryOrderingPasses = 2;

    public static CopulaParameters Fit(EncodedTable table, CopulaFitSettings settings, ulong seed,
        ParallelOptions parallel, IProgress<StepProgress>? progress = null)
    {
        var (columns, scores) = FitColumns(table, settings, seed, parallel, progress);
        var correlation = CorrelationMatrix.FromNormalScores(scores, Bands(table, columns, scores.Length, parallel), settings.Shrinkage, parallel);
        progress?.Report(new StepProgress("correlation", 1));
        return new CopulaParameters(columns, correlation);
    }

    /// <summary>
    /// The marginals (with dimensions assigned and categories ordered along the main latent factor) and every row's normal
    /// scores: all of the fit but the correlation. The streaming fit takes the columns from a sample and makes the
    /// scores of every row itself (<see cref="StreamingCopulaFitter"/>).
    /// </summary>
    internal static (CopulaColumn[] Columns, double[][] Scores) FitColumns(EncodedTable table, CopulaFitSettings settings, ulong seed,
        ParallelOptions parallel, IProgress<StepProgress>? progress)
    {
        int n = table.RowCount;
        if (n == 0) throw new ArgumentException("Cannot fit a copula to an empty table.");

        var columns = new CopulaColumn[table.Columns.Count];
        Parallel.For(0, columns.Length, parallel, c => columns[c] = FitMarginal(table[c], settings));
        columns = AssignDimensions(columns);
        progress?.Report(new StepProgress("marginals", 1));

        int d = columns.Sum(c => (c.ValueDimension >= 0 ? 1 : 0) + (c.MissingDimension >= 0 ? 1 : 0));
        var scores = new double[d][];
        Parallel.For(0, columns.Length, parallel, c => WriteScores(table[c], columns[c], scores, seed, firstRow: 0));

        if (settings.CategoryOrdering == CategoryOrdering.LatentFactor && d > 1)
        {
            for (int pass = 0; pass < CategoryOrderingPasses; pass++)
            {
                parallel.CancellationToken.ThrowIfCancellationRequested();
                var factor = FactorScores(scores, CorrelationMatrix.LeadingEigenvector(scores, parallel));
                for (int c = 0; c < columns.Length; c++)
                    if (columns[c].Kind == EncodedKind.Discrete && columns[c].Discrete is { } m)
                        columns[c] = columns[c] with { Discrete = ReorderByFactor(table[c], columns[c], m, factor) };
                Parallel.For(0, columns.Length, parallel, c =>
                {
                    if (columns[c].Kind == EncodedKind.Discrete) WriteScores(table[c], columns[c], scores, seed, firstRow: 0);
                });
            }
        }
        progress?.Report(new StepProgress("normal scores", 1));
        return (columns, scores);
    }

    /// <summary>The probability bands of each of the <paramref name="dimensions"/> (the continuous ones from the values of <paramref name="table"/>).</summary>
    internal static LatentCorrelation.Bands?[] Bands(EncodedTable table, CopulaColumn[] columns, int dimensions, ParallelOptions parallel)
    {
        var bands = new LatentCorrelation.Bands?[dimensions];
        Parallel.For(0, columns.Length, parallel, c => RecordBands(table[c], columns[c], bands));
        return bands;
    }

    private static CopulaColumn FitMarginal(EncodedColumn column, CopulaFitSettings settings)
    {
        int n = column.Length, missing = column.Missing.Count;
        var result = new CopulaColumn
        {
            Name = column.Name, Kind = column.Kind, Cardinality = column.Cardinality,
            MissingFraction = n == 0 ? 0 : missing / (double)n,
        };
        if (column.Kind == EncodedKind.Discrete)
        {
            var counts = CodeCounts(column);
            return result with { Discrete = CategoricalMarginal.FromCounts(counts, CategoricalMarginal.FrequencyOrder(counts)) };
        }
        if (missing == n) return result;
        var present = new double[n - missing];
        var values = column.Values!;
        for (int i = 0, k = 0; i < n; i++) if (!column.Missing[i]) present[k++] = values[i];
        foreach (var v in present)
            if (!double.IsFinite(v)) throw NonFinite(column.Name, v);
        Array.Sort(present);
        var marginal = MarginalFitter.Fit(new ColumnSample(present), settings.FamilyForColumn(column.Name), settings.Marginals);
        result = result with { Continuous = marginal };
        if (missing > 0)
            result = result with { MissingFlag = CategoricalMarginal.FromCounts([n - missing, missing], [0, 1]) };
        return result;
    }

    internal static SchemaException NonFinite(string column, double value) =>
        new("copula.non-finite", $"Column '{column}' holds a non-finite value ({value}).", column: column, hint: "Remove infinities/NaN or mark them missing.");

    /// <summary>Numbers the dimensions in column order: value dimension first, then the missing flag.</summary>
    internal static CopulaColumn[] AssignDimensions(CopulaColumn[] columns)
    {
        int next = 0;
        var result = new CopulaColumn[columns.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            var col = columns[c];
            bool hasValue = col.Continuous is not null || col.Discrete is not null;
            int value = hasValue ? next++ : -1;
            int missing = col.MissingFlag is not null ? next++ : -1;
            result[c] = col with { ValueDimension = value, MissingDimension = missing };
        }
        return result;
    }

    internal static int[] CodeCounts(EncodedColumn column)
    {
        var counts = new int[column.Cardinality + 1];
        var codes = column.Codes!;
        for (int i = 0; i < codes.Length; i++) counts[column.Missing[i] ? column.Cardinality : codes[i]]++;
        return counts;
    }

    /// <summary>
    /// The normal scores of <paramref name="column"/>'s rows, which are rows <paramref name="firstRow"/>… of the table:
    /// a banded score's point is hashed from its global row number, so a chunk's scores are the whole table's.
    /// </summary>
    internal static void WriteScores(EncodedColumn column, CopulaColumn copula, double[][] scores, ulong seed, long firstRow)
    {
        int n = column.Length;
        if (copula.ValueDimension >= 0)
        {
            var z = scores[copula.ValueDimension] ??= new double[n];
            ulong stream = SeededRandom.Derive(seed, JitterSalt, (ulong)copula.ValueDimension);
            for (int i = 0; i < n; i++)
            {
                bool missing = column.Missing[i];
                (double lo, double hi) band;
                if (column.Kind == EncodedKind.Discrete) band = copula.Discrete!.Band(missing ? column.Cardinality : column.Codes![i]);
                else if (missing) { z[i] = double.NaN; continue; }
                else band = copula.Continuous!.Band(column.Values![i]);
                z[i] = ScoreInBand(band.lo, band.hi, stream, firstRow + i);
            }
        }
        if (copula.MissingDimension >= 0)
        {
            var z = scores[copula.MissingDimension] ??= new double[n];
            ulong stream = SeededRandom.Derive(seed, JitterSalt, (ulong)copula.MissingDimension);
            for (int i = 0; i < n; i++)
            {
                var (lo, hi) = copula.MissingFlag!.Band(column.Missing[i] ? 1 : 0);
                z[i] = ScoreInBand(lo, hi, stream, firstRow + i);
            }
        }
    }

    /// <summary>Bands narrower than this are treated as continuous when correcting correlations (their effect is negligible).</summary>
    private const double MinimumBandWidth = 1e-3;

    private static void RecordBands(EncodedColumn column, CopulaColumn copula, LatentCorrelation.Bands?[] bands)
    {
        if (copula.MissingDimension >= 0) bands[copula.MissingDimension] = BandsOf(copula.MissingFlag!);
        if (copula.ValueDimension < 0) return;
        if (copula.Discrete is { } discrete) { bands[copula.ValueDimension] = BandsOf(discrete); return; }
        var marginal = copula.Continuous!;
        var present = new List<double>(column.Length);
        for (int i = 0; i < column.Length; i++) if (!column.Missing[i]) present.Add(column.Values![i]);
        present.Sort();
        var lower = new List<double>();
        var upper = new List<double>();
        for (int i = 0; i < present.Count; i++)
        {
            if (i > 0 && present[i] == present[i - 1]) continue;
            var (lo, hi) = marginal.Band(present[i]);
            if (hi - lo < MinimumBandWidth || (lower.Count > 0 && lo < upper[^1])) continue;
            lower.Add(lo); upper.Add(hi);
        }
        bands[copula.ValueDimension] = new LatentCorrelation.Bands(lower.ToArray(), upper.ToArray());
    }

    private static LatentCorrelation.Bands BandsOf(CategoricalMarginal m)
    {
        var lower = new double[m.Order.Length];
        for (int i = 1; i < lower.Length; i++) lower[i] = m.UpperBounds[i - 1];
        return new LatentCorrelation.Bands(lower, (double[])m.UpperBounds.Clone());
    }

    /// <summary>Φ⁻¹ of a point drawn uniformly in [lo, hi] from a hash of (stream, row): reproducible, order-free.</summary>
    private static double ScoreInBand(double lo, double hi, ulong stream, long row)
    {
        if (hi <= lo) return NormalMath.InverseCdf(lo);
        double t = SeededRandom.ToOpenUnit(SeededRandom.Hash(stream + (ulong)row));
        return NormalMath.InverseCdf(lo + t * (hi - lo));
    }

    private static double[] FactorScores(double[][] scores, double[] loadings)
    {
        int n = scores[0].Length;
        var factor = new double[n];
        for (int d = 0; d < scores.Length; d++)
        {
            var s = scores[d];
            double w = loadings[d];
            for (int i = 0; i < n; i++) if (!double.IsNaN(s[i])) factor[i] += w * s[i];
        }
        return factor;
    }

    /// <summary>Orders categories by the mean latent-factor score of their rows, so related categories sit side by side.</summary>
    private static CategoricalMarginal ReorderByFactor(EncodedColumn column, CopulaColumn copula, CategoricalMarginal current, double[] factor)
    {
        var counts = CodeCounts(column);
        var sums = new double[counts.Length];
        var codes = column.Codes!;
        for (int i = 0; i < codes.Length; i++) sums[column.Missing[i] ? copula.Cardinality : codes[i]] += factor[i];
        var order = Enumerable.Range(0, counts.Length).Where(c => counts[c] > 0)
            .OrderBy(c => sums[c] / counts[c]).ThenBy(c => c);
        return CategoricalMarginal.FromCounts(counts, order);
    }
}
