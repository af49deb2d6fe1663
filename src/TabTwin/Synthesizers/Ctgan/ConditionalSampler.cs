using TabTwin.Synthesizers.NeuralData;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Ctgan;

/// <summary>
/// CTGAN's conditional vector and training-by-sampling (Xu et al. 2019, §4.3). The conditional vector is the
/// concatenation of every choice group (<see cref="SpanRole.Category"/> spans): each discrete column's codes and,
/// beyond the paper, each numeric column's value kind [regular, point masses…, missing] when it has point masses or
/// missing values, so missing numbers and exact frequent values are conditioned on like categories. Training
/// draws a condition by picking a discrete column uniformly, then one of its categories with probability
/// proportional to log(1 + count), so rare categories are seen often enough to be learned; the real rows shown to
/// the critic are then drawn uniformly among the training rows holding that category. Sampling draws conditions
/// from the real (unlogged) frequencies, so an unconditioned sample keeps every discrete marginal.
/// Immutable after construction except for the row index, which only training needs.
/// </summary>
internal sealed class ConditionalSampler
{
    private readonly OutputSpan[] _spans;
    private readonly int[] _offsets;             // start of each discrete column's group in the conditional vector
    private readonly double[][] _logCumulative;  // per discrete column: cumulative log(1 + count)
    private readonly double[][] _realCumulative; // per discrete column: cumulative count
    private readonly int[][][]? _rowsByCategory; // per discrete column and category: training rows holding it

    /// <param name="spans">The transformer's spans (only <see cref="SpanRole.Category"/> spans take part).</param>
    /// <param name="counts">Training-row count of every category, per Category span in order.</param>
    public ConditionalSampler(IReadOnlyList<OutputSpan> spans, IReadOnlyList<long[]> counts) : this(spans, counts, null) { }

    private ConditionalSampler(IReadOnlyList<OutputSpan> spans, IReadOnlyList<long[]> counts, int[][][]? rowsByCategory)
    {
        _spans = spans.Where(s => s.Role == SpanRole.Category).ToArray();
        if (counts.Count != _spans.Length) throw new ArgumentException($"{counts.Count} count vectors for {_spans.Length} discrete columns.");
        _offsets = new int[_spans.Length];
        _logCumulative = new double[_spans.Length][];
        _realCumulative = new double[_spans.Length][];
        Counts = counts.Select(c => c.ToArray()).ToArray();
        int offset = 0;
        for (int d = 0; d < _spans.Length; d++)
        {
            var c = Counts[d];
            if (c.Length != _spans[d].Width) throw new ArgumentException($"Discrete column {d} has {c.Length} counts for {_spans[d].Width} categories.");
            if (c.Any(v => v < 0) || c.Sum() <= 0) throw new ArgumentException($"Discrete column {d} has negative or no counts.");
            _offsets[d] = offset;
            offset += c.Length;
            _logCumulative[d] = Cumulative(c, v => Math.Log(1 + v));
            _realCumulative[d] = Cumulative(c, v => v);
        }
        Width = offset;
        _rowsByCategory = rowsByCategory;
    }

    /// <summary>Builds the sampler, with its row index for training, from a transformed training matrix.</summary>
    public static ConditionalSampler ForTraining(IReadOnlyList<OutputSpan> spans, float[] matrix, int rows, int width)
    {
        var discrete = spans.Where(s => s.Role == SpanRole.Category).ToArray();
        var counts = new List<long[]>();
        var index = new int[discrete.Length][][];
        for (int d = 0; d < discrete.Length; d++)
        {
            var lists = Enumerable.Range(0, discrete[d].Width).Select(_ => new List<int>()).ToArray();
            for (int i = 0; i < rows; i++)
                lists[ModeSpecificTransformer.ArgMax(matrix.AsSpan(i * width + discrete[d].Start, discrete[d].Width))].Add(i);
            counts.Add(lists.Select(l => (long)l.Count).ToArray());
            index[d] = lists.Select(l => l.ToArray()).ToArray();
        }
        return new ConditionalSampler(spans, counts, index);
    }

    /// <summary>Width of the conditional vector (0 when the table has no discrete column).</summary>
    public int Width { get; }

    /// <summary>Number of discrete columns.</summary>
    public int DiscreteColumns => _spans.Length;

    /// <summary>The Category spans, in order.</summary>
    public IReadOnlyList<OutputSpan> Spans => _spans;

    /// <summary>Training-row count per category, per discrete column.</summary>
    public IReadOnlyList<long[]> Counts { get; }

    /// <summary>Where discrete column <paramref name="d"/>'s group starts in the conditional vector.</summary>
    public int Offset(int d) => _offsets[d];

    /// <summary>Training probability of each category of discrete column <paramref name="d"/> (log-frequency).</summary>
    public double[] TrainingProbabilities(int d) => Increments(_logCumulative[d]);

    /// <summary>A training condition: a discrete column (uniform) and one of its categories (log-frequency).</summary>
    public (int Column, int Category) SampleTraining(SeededRandom random)
    {
        int d = random.NextInt(_spans.Length);
        return (d, random.NextWeighted(_logCumulative[d]));
    }

    /// <summary>A generation condition: a discrete column (uniform) and one of its categories (real frequency).</summary>
    public (int Column, int Category) SampleOriginal(SeededRandom random)
    {
        int d = random.NextInt(_spans.Length);
        return (d, random.NextWeighted(_realCumulative[d]));
    }

    /// <summary>A category of discrete column <paramref name="d"/> drawn with its real frequency.</summary>
    public int SampleCategory(int d, SeededRandom random) => random.NextWeighted(_realCumulative[d]);

    /// <summary>A uniformly chosen training row whose discrete column <paramref name="d"/> holds <paramref name="category"/>.</summary>
    public int SampleRow(int d, int category, SeededRandom random)
    {
        var rows = (_rowsByCategory ?? throw new InvalidOperationException("This sampler has no training rows."))[d][category];
        return rows[random.NextInt(rows.Length)];
    }

    private static double[] Cumulative(long[] counts, Func<long, double> weight)
    {
        var c = new double[counts.Length];
        double total = 0;
        for (int k = 0; k < counts.Length; k++) c[k] = total += weight(counts[k]);
        return c;
    }

    private static double[] Increments(double[] cumulative)
    {
        var p = new double[cumulative.Length];
        for (int k = 0; k < p.Length; k++) p[k] = (cumulative[k] - (k > 0 ? cumulative[k - 1] : 0)) / cumulative[^1];
        return p;
    }
}
