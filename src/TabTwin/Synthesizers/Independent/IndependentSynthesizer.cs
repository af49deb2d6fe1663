using System.Collections.Immutable;
using System.Text.Json;
using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Independent;

/// <summary>
/// The quality baseline: every encoded column is sampled on its own from its empirical distribution
/// (quantiles with a small Gaussian kernel for continuous columns, frequencies for discrete ones), keeping each
/// column's missing rate. It reproduces marginals well and correlations not at all, which is what makes it a
/// useful yardstick. Holds only options; <see cref="Fit"/> returns an immutable <see cref="IndependentModel"/>.
/// </summary>
public sealed class IndependentSynthesizer : ISynthesizer
{
    public const string RegistryName = "independent";

    public IndependentSynthesizer(IndependentOptions? options = null) => Options = options ?? new IndependentOptions();

    public string Name => RegistryName;
    public IndependentOptions Options { get; }
    int ISynthesizer.MinimumRows => Options.BelowMinimumRows ? 1 : TrainingSize.DefaultMinimumRows;

    internal static ISynthesizer Create(JsonElement? options) =>
        new IndependentSynthesizer(SynthesizerJson.ReadOptions<IndependentOptions>(RegistryName, options, o => o.Check()));

    ISynthesizerModel ISynthesizer.Fit(Table table, TableSchema schema, FitContext context) => Fit(table, schema, context);

    public IndependentModel Fit(Table table, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        schema.RejectUnappliedConstraints($"the {Name} synthesizer");
        ArgumentNullException.ThrowIfNull(context);
        TrainingSize.Require(this, table);
        Options.Check();
        context.Progress?.Report(new StepProgress("encode", 0));
        var encoding = TableEncoding.Fit(table, schema, Options.Encoding, context.Warning);
        var encoded = encoding.Encode(table);
        var marginals = ImmutableArray.CreateBuilder<ColumnMarginal>(encoded.Columns.Count);
        for (int j = 0; j < encoded.Columns.Count; j++)
        {
            context.Cancel.ThrowIfCancellationRequested();
            context.Progress?.Report(new StepProgress("marginals", j / (double)encoded.Columns.Count));
            marginals.Add(FitMarginal(encoded.Columns[j]));
        }
        context.Progress?.Report(new StepProgress("marginals", 1));
        return new IndependentModel(encoding, Options, marginals.MoveToImmutable());
    }

    private ColumnMarginal FitMarginal(EncodedColumn column)
    {
        int n = column.Length, present = n - column.Missing.Count;
        double missingRate = n == 0 ? 0 : column.Missing.Count / (double)n;
        if (column.Kind == EncodedKind.Discrete)
        {
            var counts = new double[column.Cardinality];
            for (int i = 0; i < n; i++) if (!column.Missing[i]) counts[column.Codes![i]]++;
            return new ColumnMarginal(column.Name, MarginalForm.Codes, missingRate, 0, [], Cumulate(counts));
        }
        var values = new double[present];
        for (int i = 0, k = 0; i < n; i++) if (!column.Missing[i]) values[k++] = column.Values![i];
        Array.Sort(values);

        var distinct = DistinctCounts(values);
        // Few distinct values (small integers, codes stored as numbers): sample them as they are, but only values
        // seen often enough; a value seen once would otherwise be copied verbatim.
        if (distinct.Count <= Options.MaxDistinctForDiscrete)
        {
            var kept = distinct.Where(d => d.Count >= Options.Encoding.RareCategoryThreshold).ToArray();
            if (kept.Length > 0)
                return new ColumnMarginal(column.Name, MarginalForm.Values, missingRate, 0,
                    kept.Select(d => d.Value).ToArray(), Cumulate(kept.Select(d => (double)d.Count).ToArray()));
        }
        var quantiles = Quantiles(values, Math.Min(Options.QuantileCount, Math.Max(2, values.Length)));
        return new ColumnMarginal(column.Name, MarginalForm.Quantiles, missingRate, Options.Smoothing * Silverman(values), quantiles, []);
    }

    private static List<(double Value, int Count)> DistinctCounts(double[] sorted)
    {
        var r = new List<(double, int)>();
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j < sorted.Length && sorted[j] == sorted[i]) j++;
            r.Add((sorted[i], j - i));
            i = j;
        }
        return r;
    }

    internal static double[] Quantiles(double[] sorted, int count)
    {
        var q = new double[count];
        for (int i = 0; i < count; i++)
        {
            double pos = i * (sorted.Length - 1) / (double)(count - 1);
            int lo = (int)Math.Floor(pos);
            int hi = Math.Min(lo + 1, sorted.Length - 1);
            q[i] = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
        }
        return q;
    }

    /// <summary>Silverman's rule of thumb, 0.9·min(sd, IQR/1.34)·n^(-1/5); 0 for constant data.</summary>
    private static double Silverman(double[] sorted)
    {
        int n = sorted.Length;
        if (n < 2) return 0;
        double mean = sorted.Average();
        double sd = Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        double iqr = sorted[(int)(0.75 * (n - 1))] - sorted[(int)(0.25 * (n - 1))];
        double spread = iqr > 0 ? Math.Min(sd, iqr / 1.34) : sd;
        return 0.9 * spread * Math.Pow(n, -0.2);
    }

    private static double[] Cumulate(double[] weights)
    {
        var c = new double[weights.Length];
        double sum = 0;
        for (int i = 0; i < c.Length; i++) c[i] = sum += weights[i];
        return c;
    }
}

/// <summary>How one encoded column is sampled.</summary>
public enum MarginalForm
{
    /// <summary>Inverse-CDF over stored quantiles plus a Gaussian kernel.</summary>
    Quantiles,
    /// <summary>A stored set of distinct numbers with cumulative weights.</summary>
    Values,
    /// <summary>Discrete codes with cumulative weights.</summary>
    Codes,
}

/// <summary>The learned distribution of one encoded column. <see cref="Cumulative"/>'s last element is the total weight.</summary>
public sealed record ColumnMarginal(string Name, MarginalForm Form, double MissingRate, double Bandwidth, double[] Points, double[] Cumulative);
