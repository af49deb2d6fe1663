using System.Collections.Immutable;
using TabTwin.Encoding;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Bundles;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Independent;

/// <summary>
/// A fitted independent-marginals model. Immutable; <see cref="Sample"/> draws fixed-size blocks, block <c>b</c>
/// from a stream derived from (seed, b), so output is byte-identical on any thread count.
/// </summary>
public sealed class IndependentModel : ISynthesizerModel
{
    internal const int BlockRows = 1024;
    private const string ParametersEntry = "independent";

    internal IndependentModel(TableEncoding encoding, IndependentOptions options, ImmutableArray<ColumnMarginal> marginals)
    {
        Encoding = encoding;
        Options = options;
        Marginals = marginals;
    }

    public string SynthesizerName => IndependentSynthesizer.RegistryName;
    public TableSchema Schema => Encoding.Schema;
    internal TableEncoding Encoding { get; }
    public IndependentOptions Options { get; }
    public ImmutableArray<ColumnMarginal> Marginals { get; }

    public Table Sample(int rows, ulong seed, SampleContext? context = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        context ??= new SampleContext();
        var columns = Marginals.Select(m => new SampledColumn(m, rows)).ToArray();
        int blocks = (rows + BlockRows - 1) / BlockRows, done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.MaxThreads ?? -1, CancellationToken = context.Cancel };
        Parallel.For(0, blocks, parallel, b =>
        {
            var random = SeededRandom.For(seed, (ulong)b);
            int start = b * BlockRows, end = Math.Min(rows, start + BlockRows);
            foreach (var c in columns) c.Fill(random, start, end);
            context.Progress?.Report(new StepProgress("sample", Interlocked.Increment(ref done) / (double)blocks));
        });
        var encoded = new EncodedTable(columns.Select(c => c.ToEncoded()).ToArray(), rows);
        return Encoding.Decode(encoded, SeededRandom.Derive(seed, ulong.MaxValue), context.MaxThreads);
    }

    /// <summary>Output buffers of one column; blocks write disjoint row ranges.</summary>
    private sealed class SampledColumn(ColumnMarginal marginal, int rows)
    {
        private readonly double[]? _values = marginal.Form == MarginalForm.Codes ? null : new double[rows];
        private readonly int[]? _codes = marginal.Form == MarginalForm.Codes ? new int[rows] : null;
        private readonly bool[] _missing = new bool[rows];

        public void Fill(SeededRandom random, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (marginal.MissingRate > 0 && random.NextBernoulli(marginal.MissingRate)) { _missing[i] = true; continue; }
                switch (marginal.Form)
                {
                    case MarginalForm.Codes: _codes![i] = random.NextWeighted(marginal.Cumulative); break;
                    case MarginalForm.Values: _values![i] = marginal.Points[random.NextWeighted(marginal.Cumulative)]; break;
                    default: _values![i] = FromQuantiles(random); break;
                }
            }
        }

        private double FromQuantiles(SeededRandom random)
        {
            var q = marginal.Points;
            double pos = random.NextDouble() * (q.Length - 1);
            int lo = (int)pos, hi = Math.Min(lo + 1, q.Length - 1);
            double gap = q[hi] - q[lo];
            double v = q[lo] + gap * (pos - lo);
            // The kernel is never wider than the local quantile gap: point masses (e.g. 90% zeros) stay exact
            // instead of being smeared into small non-zero values.
            return marginal.Bandwidth > 0 && gap > 0 ? v + Math.Min(marginal.Bandwidth, gap) * random.NextGaussian() : v;
        }

        public EncodedColumn ToEncoded()
        {
            var mask = Bitmask.FromBools(_missing);
            return _codes is not null
                ? EncodedColumn.Discrete(marginal.Name, _codes, marginal.Cumulative.Length, mask)
                : EncodedColumn.Continuous(marginal.Name, _values!, mask);
        }
    }

    public void Write(ModelBundleWriter bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        Encoding.Write(bundle);
        var columns = Marginals.Select(m => new MarginalHeader(m.Name, m.Form, m.MissingRate, m.Bandwidth)).ToArray();
        bundle.WriteJson(ParametersEntry, new Parameters(Options, columns), SynthesizerJson.Options);
        for (int j = 0; j < Marginals.Length; j++)
        {
            bundle.WriteArray($"{ParametersEntry}.{j}.points", Marginals[j].Points);
            bundle.WriteArray($"{ParametersEntry}.{j}.cumulative", Marginals[j].Cumulative);
        }
    }

    internal static IndependentModel Read(ModelBundleReader bundle)
    {
        var encoding = TableEncoding.Read(bundle);
        var p = bundle.ReadJson<Parameters>(ParametersEntry, SynthesizerJson.Options);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{ParametersEntry}': {what}.", bundle.File);
        if (p.Options is null || p.Columns is null) throw Bad("options or columns are missing");
        if (!p.Columns.Select(c => c.Name).SequenceEqual(encoding.Modelled.Select(s => s.Name)))
            throw Bad("its columns do not match the encoding's modelled columns");
        var marginals = ImmutableArray.CreateBuilder<ColumnMarginal>(p.Columns.Length);
        for (int j = 0; j < p.Columns.Length; j++)
        {
            var h = p.Columns[j];
            var m = new ColumnMarginal(h.Name, h.Form, h.MissingRate, h.Bandwidth,
                bundle.ReadDoubles($"{ParametersEntry}.{j}.points"), bundle.ReadDoubles($"{ParametersEntry}.{j}.cumulative"));
            var state = encoding.Modelled[j];
            bool shapeOk = m.Form switch
            {
                MarginalForm.Codes => state.EncodedKind == EncodedKind.Discrete && m.Cumulative.Length == state.Cardinality,
                MarginalForm.Values => state.EncodedKind == EncodedKind.Continuous && m.Points.Length == m.Cumulative.Length && m.Points.Length > 0,
                _ => state.EncodedKind == EncodedKind.Continuous && m.Points.Length >= 2,
            };
            if (!shapeOk || !(m.MissingRate is >= 0 and <= 1) || !(m.Bandwidth >= 0)
                || (m.Form != MarginalForm.Quantiles && !(m.Cumulative[^1] > 0)))
                throw Bad($"column '{h.Name}' has an inconsistent {m.Form} marginal");
            marginals.Add(m);
        }
        return new IndependentModel(encoding, p.Options, marginals.MoveToImmutable());
    }

    private sealed record MarginalHeader(string Name, MarginalForm Form, double MissingRate, double Bandwidth);
    private sealed record Parameters(IndependentOptions Options, MarginalHeader[] Columns);
}
