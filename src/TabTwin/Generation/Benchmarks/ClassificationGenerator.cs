using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Generation.Benchmarks;

/// <summary>
/// A classification benchmark in the manner of scikit-learn's <c>make_classification</c> (Guyon's Madelon design):
/// Classes × ClustersPerClass Gaussian clusters, each with its own random covariance, centred on distinct vertices of
/// a hypercube of edge 2·ClassSeparation in the informative subspace; redundant features are random linear
/// combinations of the informative ones, repeated features copies, the rest pure noise; then label noise, shift,
/// scale and shuffling. Rows get exact per-cluster counts (as scikit-learn) and are produced independently, so any
/// slice of rows is identical whatever the chunk size or thread count.
/// </summary>
public sealed class ClassificationGenerator : RowKeyedGenerator
{
    private const ulong SetupSalt = 0xC1A5, RowSalt = 0xC1A6, PermutationSalt = 0xC1A7;

    private readonly ClassificationOptions _o;
    private readonly FeatureLayout _layout;
    private readonly long[] _clusterEnd;           // cumulative row counts: cluster k holds positions [end[k-1], end[k])
    private readonly double[][] _centroids;        // [cluster][informative]
    private readonly double[][][] _transforms;     // [cluster][informative][informative]
    private readonly double[][] _redundantWeights; // [informative][redundant]
    private readonly int[] _repeatSource;          // raw index copied by each repeated feature
    private readonly double[] _shift, _scale;      // per raw feature
    private readonly RowPermutation? _rows;

    public ClassificationGenerator(ClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _o = options;
        int inf = options.Informative, clusters = options.Classes * options.ClustersPerClass;
        int noise = options.Features - inf - options.Redundant - options.Repeated;
        var random = new SeededRandom(SeededRandom.Derive(options.Seed, SetupSalt));
        var weights = options.ClassWeights();

        _clusterEnd = ClusterCounts(options.Rows, weights, options.ClustersPerClass);
        for (int k = 1; k < clusters; k++) _clusterEnd[k] += _clusterEnd[k - 1];

        _centroids = HypercubeVertices.Distinct(clusters, inf, random)
            .Select(v => v.Select(bit => bit ? options.ClassSeparation : -options.ClassSeparation).ToArray()).ToArray();
        if (!options.Hypercube)
        {
            // A random polytope instead of the cube: shrink each vertex and each axis by a random factor.
            foreach (var c in _centroids) { double f = random.NextDouble(); for (int i = 0; i < inf; i++) c[i] *= f; }
            for (int i = 0; i < inf; i++) { double f = random.NextDouble(); foreach (var c in _centroids) c[i] *= f; }
        }
        _transforms = Enumerable.Range(0, clusters).Select(_ => UniformMatrix(inf, inf, random)).ToArray();
        _redundantWeights = UniformMatrix(inf, options.Redundant, random);
        int sources = inf + options.Redundant;
        _repeatSource = Enumerable.Range(0, options.Repeated).Select(_ => (int)((sources - 1) * random.NextDouble() + 0.5)).ToArray();
        _shift = Enumerable.Range(0, options.Features).Select(_ => options.Shift ?? (2 * random.NextDouble() - 1) * options.ClassSeparation).ToArray();
        _scale = Enumerable.Range(0, options.Features).Select(_ => options.Scale ?? 1 + 100 * random.NextDouble()).ToArray();
        _layout = new FeatureLayout(inf, options.Redundant, options.Repeated, noise, options.Naming, options.Shuffle, random);
        if (_layout.Names.Contains(options.Target, StringComparer.Ordinal))
            throw new ArgumentException($"The target name '{options.Target}' is also a feature name; choose another Target.");
        _rows = options.Shuffle ? new RowPermutation(options.Rows, SeededRandom.Derive(options.Seed, PermutationSalt)) : null;
        Parameters = BuildParameters(weights);
    }

    public ClassificationOptions Options => _o;
    /// <summary>The generating parameters (save them beside the data with <see cref="GeneratorParameters.Save"/>).</summary>
    public GeneratorParameters Parameters { get; }
    /// <summary>Feature column names in table order, then the target.</summary>
    public IReadOnlyList<string> ColumnNames => [.. _layout.Names, _o.Target];

    protected override long RowCount => _o.Rows;

    protected override Table MakeRows(long firstRow, int count, int? maxThreads)
    {
        int features = _o.Features;
        var columns = new double[features][];
        for (int c = 0; c < features; c++) columns[c] = new double[count];
        var labels = new double[count];
        FeatureLayout.ForEachBlock(count, maxThreads, (from, to) =>
        {
            var raw = new double[features];
            var z = new double[_o.Informative];
            for (int r = from; r < to; r++)
            {
                labels[r] = Row(firstRow + r, raw, z);
                for (int c = 0; c < features; c++)
                {
                    int j = _layout.RawOfColumn[c];
                    double v = (raw[j] + _shift[j]) * _scale[j];
                    columns[c][r] = _o.Decimals is { } d ? Math.Round(v, d) : v;
                }
            }
        });
        var cols = new List<Column>(features + 1);
        for (int c = 0; c < features; c++) cols.Add(FeatureLayout.Numeric(_layout.Names[c], columns[c], _o.Decimals));
        cols.Add(new NumericColumn(_o.Target, labels, null, isInteger: true));
        return new Table(cols);
    }

    /// <summary>Fills the raw (unshifted, unscaled) features of one row and returns its label.</summary>
    private int Row(long row, double[] raw, double[] z)
    {
        long position = _rows?.Map(row) ?? row;
        int cluster = 0;
        while (position >= _clusterEnd[cluster]) cluster++;
        // The stream is keyed by the position in the unshuffled layout: shuffling reorders records but never changes them.
        var random = new RowStream(_o.Seed, RowSalt, position);
        int inf = _o.Informative;
        for (int i = 0; i < inf; i++) z[i] = random.NextGaussian();
        var a = _transforms[cluster];
        var centroid = _centroids[cluster];
        for (int j = 0; j < inf; j++)
        {
            double s = centroid[j];
            for (int i = 0; i < inf; i++) s += z[i] * a[i][j];
            raw[j] = s;
        }
        for (int k = 0; k < _o.Redundant; k++)
        {
            double s = 0;
            for (int i = 0; i < inf; i++) s += raw[i] * _redundantWeights[i][k];
            raw[inf + k] = s;
        }
        int next = inf + _o.Redundant;
        for (int k = 0; k < _o.Repeated; k++) raw[next + k] = raw[_repeatSource[k]];
        for (int j = next + _o.Repeated; j < raw.Length; j++) raw[j] = random.NextGaussian();
        int label = cluster % _o.Classes;
        if (_o.LabelNoise > 0 && random.NextOpenUnit() < _o.LabelNoise) label = random.NextInt(_o.Classes);
        return label;
    }

    /// <summary>scikit-learn's split: floor(n · w_class / clustersPerClass) per cluster, the remainder dealt round-robin.</summary>
    private static long[] ClusterCounts(long rows, double[] weights, int perClass)
    {
        int clusters = weights.Length * perClass;
        var counts = new long[clusters];
        // The tiny tolerance keeps float round-off (0.05 stored as 0.04999…) from moving a row to another class.
        for (int k = 0; k < clusters; k++) counts[k] = (long)Math.Floor(rows * weights[k % weights.Length] / perClass + 1e-7);
        long rest = rows - counts.Sum();
        for (long i = 0; i < rest; i++) counts[i % clusters]++;
        return counts;
    }

    private static double[][] UniformMatrix(int rows, int cols, SeededRandom random) =>
        Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => 2 * random.NextDouble() - 1).ToArray()).ToArray();

    private GeneratorParameters BuildParameters(double[] weights)
    {
        var features = new FeatureParameters[_o.Features];
        for (int c = 0; c < features.Length; c++)
        {
            int raw = _layout.RawOfColumn[c];
            var role = _layout.RoleOfRaw(raw);
            string? repeatOf = role == FeatureRole.Repeated ? _layout.Names[_layout.ColumnOfRaw[_repeatSource[_layout.RoleIndexOfRaw(raw)]]] : null;
            features[c] = new FeatureParameters(_layout.Names[c], role, _layout.RoleIndexOfRaw(raw), _shift[raw], _scale[raw], repeatOf);
        }
        var clusters = new ClusterParameters[_centroids.Length];
        for (int k = 0; k < clusters.Length; k++)
            clusters[k] = new ClusterParameters(k % _o.Classes, _clusterEnd[k] - (k == 0 ? 0 : _clusterEnd[k - 1]), _centroids[k], _transforms[k]);
        var shares = new double[_o.Classes];
        foreach (var c in clusters) shares[c.Class] += (double)c.Rows / _o.Rows;
        var expected = shares.Select(s => s * (1 - _o.LabelNoise) + _o.LabelNoise / _o.Classes).ToArray();
        return new GeneratorParameters
        {
            Generator = "classification", Seed = _o.Seed, Rows = _o.Rows, Features = features, Targets = [_o.Target],
            ClassificationOptions = _o,
            Classification = new ClassificationParameters(_layout.NamesOfRaw(0, _o.Informative), clusters, _redundantWeights, shares, expected),
        };
    }
}
