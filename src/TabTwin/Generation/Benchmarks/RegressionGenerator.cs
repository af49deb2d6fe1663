using MathNet.Numerics.LinearAlgebra;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Generation.Benchmarks;

/// <summary>
/// A regression benchmark in the manner of scikit-learn's <c>make_regression</c>: features are independent standard
/// normals (or, with <see cref="RegressionOptions.EffectiveRank"/>, a low-rank-plus-fat-tail matrix), targets are
/// y = X·coef + bias + N(0, noise²) with Informative coefficients uniform in [0, 100) and the rest zero. The exact
/// coefficients are in <see cref="Parameters"/>. Rows are independent draws keyed by their index, so any slice is
/// identical whatever the chunk size or thread count.
/// </summary>
public sealed class RegressionGenerator : RowKeyedGenerator
{
    private const ulong SetupSalt = 0x4E61, RowSalt = 0x4E62;

    private readonly RegressionOptions _o;
    private readonly FeatureLayout _layout;
    private readonly string[] _targets;
    private readonly double[][] _coef;          // [target][raw feature]
    private readonly double[]? _singular;       // low-rank mode: singular values s_i
    private readonly double[]? _mixing;         // low-rank mode: [i * features + j] = s_i · V[j, i] / sqrt(rows)
    private readonly int _latent;               // low-rank mode: number of latent normals per row

    public RegressionGenerator(RegressionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _o = options;
        var random = new SeededRandom(SeededRandom.Derive(options.Seed, SetupSalt));
        int features = options.Features;
        if (options.EffectiveRank is { } rank)
        {
            // make_low_rank_matrix builds U·diag(s)·Vᵀ with U, V orthonormal from QR of Gaussian matrices. U's columns are
            // unit vectors over the rows, so a row of U is (in distribution) a standard normal vector / sqrt(rows): drawing
            // it per row keeps the same singular profile while letting rows be generated independently, in any chunk.
            _latent = (int)Math.Min(options.Rows, features);
            var gaussian = new double[features * _latent];
            for (int i = 0; i < gaussian.Length; i++) gaussian[i] = random.NextGaussian();
            var v = Matrix<double>.Build.DenseOfColumnMajor(features, _latent, gaussian).QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).Q;
            _singular = new double[_latent];
            _mixing = new double[_latent * features];
            double norm = 1.0 / Math.Sqrt(options.Rows);
            for (int i = 0; i < _latent; i++)
            {
                double lowRank = (1 - options.TailStrength) * Math.Exp(-Math.Pow(i / (double)rank, 2));
                double tail = options.TailStrength * Math.Exp(-0.1 * i / rank);
                _singular[i] = lowRank + tail;
                for (int j = 0; j < features; j++) _mixing[i * features + j] = _singular[i] * v[j, i] * norm;
            }
        }
        _coef = new double[options.Targets][];
        for (int t = 0; t < options.Targets; t++) _coef[t] = new double[features];
        // Drawn informative-major like scikit-learn's 100 * uniform(size=(n_informative, n_targets)).
        for (int j = 0; j < options.Informative; j++)
            for (int t = 0; t < options.Targets; t++) _coef[t][j] = 100 * random.NextDouble();
        _layout = new FeatureLayout(options.Informative, 0, 0, features - options.Informative, options.Naming, options.Shuffle, random);
        _targets = options.TargetNames();
        var clash = _targets.FirstOrDefault(t => _layout.Names.Contains(t, StringComparer.Ordinal));
        if (clash is not null) throw new ArgumentException($"The target name '{clash}' is also a feature name; choose another Target.");
        Parameters = BuildParameters();
    }

    public RegressionOptions Options => _o;
    public GeneratorParameters Parameters { get; }
    public IReadOnlyList<string> ColumnNames => [.. _layout.Names, .. _targets];

    protected override long RowCount => _o.Rows;

    protected override Table MakeRows(long firstRow, int count, int? maxThreads)
    {
        int features = _o.Features;
        var columns = new double[features][];
        for (int c = 0; c < features; c++) columns[c] = new double[count];
        var targets = new double[_o.Targets][];
        for (int t = 0; t < targets.Length; t++) targets[t] = new double[count];
        FeatureLayout.ForEachBlock(count, maxThreads, (from, to) =>
        {
            var raw = new double[features];
            var latent = new double[_latent];
            for (int r = from; r < to; r++)
            {
                var random = new RowStream(_o.Seed, RowSalt, firstRow + r);
                Features(ref random, raw, latent);
                for (int t = 0; t < targets.Length; t++)
                {
                    var coef = _coef[t];
                    double y = _o.Bias;
                    for (int j = 0; j < _o.Informative; j++) y += raw[j] * coef[j]; // only the informative coefficients are non-zero
                    if (_o.Noise > 0) y += _o.Noise * random.NextGaussian();
                    targets[t][r] = Round(y);
                }
                for (int c = 0; c < features; c++) columns[c][r] = Round(raw[_layout.RawOfColumn[c]]);
            }
        });
        var cols = new List<Column>(features + targets.Length);
        for (int c = 0; c < features; c++) cols.Add(FeatureLayout.Numeric(_layout.Names[c], columns[c], _o.Decimals));
        for (int t = 0; t < targets.Length; t++) cols.Add(FeatureLayout.Numeric(_targets[t], targets[t], _o.Decimals));
        return new Table(cols);
    }

    private double Round(double v) => _o.Decimals is { } d ? Math.Round(v, d) : v;

    private void Features(ref RowStream random, double[] raw, double[] latent)
    {
        if (_mixing is null)
        {
            for (int j = 0; j < raw.Length; j++) raw[j] = random.NextGaussian();
            return;
        }
        for (int i = 0; i < latent.Length; i++) latent[i] = random.NextGaussian();
        Array.Clear(raw);
        int features = raw.Length;
        for (int i = 0; i < latent.Length; i++)
        {
            double zi = latent[i];
            var row = _mixing.AsSpan(i * features, features);
            for (int j = 0; j < features; j++) raw[j] += zi * row[j];
        }
    }

    private GeneratorParameters BuildParameters()
    {
        var features = new FeatureParameters[_o.Features];
        for (int c = 0; c < features.Length; c++)
        {
            int raw = _layout.RawOfColumn[c];
            features[c] = new FeatureParameters(_layout.Names[c], _layout.RoleOfRaw(raw), _layout.RoleIndexOfRaw(raw));
        }
        var coefficients = _coef.Select(coef => _layout.RawOfColumn.Select(raw => coef[raw]).ToArray()).ToArray();
        return new GeneratorParameters
        {
            Generator = "regression", Seed = _o.Seed, Rows = _o.Rows, Features = features, Targets = _targets,
            RegressionOptions = _o,
            Regression = new RegressionParameters(_layout.NamesOfRaw(0, _o.Informative), coefficients, _o.Bias, _o.Noise, _singular),
        };
    }
}
