using System.Numerics.Tensors;
using TabTwin.DifferentialPrivacy;
using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Private;

/// <summary>What DP-SGD did: the public quantities of its privacy analysis (none depends on the data beyond the row count used).</summary>
internal sealed record DpTvaeTraining(int Steps, double SamplingRate, double NoiseMultiplier, int RowCountUsed);

/// <summary>
/// Trains a TVAE over a <see cref="DiscreteTable"/> with DP-SGD (Abadi et al. 2016): each step takes a Poisson sample of
/// the rows (each independently with probability q), computes every example's gradient of its own loss
/// (LossFactor·cross-entropy of each column's softmax + KL), clips it to norm C over all parameters of both networks,
/// sums, adds N(0, σ²C²) to every coordinate and divides by the expected batch size q·n; Adam takes the noisy gradient.
/// σ is the smallest noise multiplier the accountant can still pay for (<see cref="DpSgdCalibration"/>), charged once as
/// the Rényi curve of all steps before the data is read. The training loss is never reported: it is a statistic of the
/// data that no budget paid for.
/// </summary>
internal sealed class DpTvaeTrainer
{
    /// <summary>The ledger's name for what DP-SGD reads and how.</summary>
    public const string Access = "rows (DP-SGD training)";
    public const string Mechanism = "subsampled Gaussian (DP-SGD)";

    private readonly DiscreteTable _data;
    private readonly DpTvaeOptions _o;
    private readonly int[] _offsets;
    private readonly int _columns, _width, _emb;
    private readonly DpTvaeMlp _encoder, _decoder;
    private readonly Adam _adam;
    private readonly Parameter[] _parameters;
    private readonly ParallelRunner _runner;
    private readonly SeededRandom _batchRandom, _latentRandom, _noiseRandom;
    private readonly ulong _latentSeed;
    private int _step;
    private readonly NormalNoise _normal = new();
    private readonly List<int> _batch = [];
    private int[] _hot = [];
    private float[] _noise = [], _scale = [];
    private double[] _norms = [];
    private double _kl, _crossEntropy;
    private readonly Matrix _eps, _std, _z, _dLogits, _dHead;
    private readonly CrossEntropyJob _crossEntropyJob;

    private DpTvaeTrainer(DiscreteTable data, DpTvaeOptions options, ulong seed, ParallelRunner runner)
    {
        _data = data; _o = options; _runner = runner;
        _columns = data.ColumnCount;
        _offsets = new int[_columns];
        for (int j = 1; j < _columns; j++) _offsets[j] = _offsets[j - 1] + data.Sizes[j - 1];
        _width = data.Sizes.Sum();
        _emb = options.EmbeddingDim;
        _encoder = new DpTvaeMlp(EncoderSizes(options, _width), oneHotInput: true, SeededRandom.Derive(seed, 4));
        _decoder = new DpTvaeMlp(DecoderSizes(options, _width), oneHotInput: false, SeededRandom.Derive(seed, 5));
        _encoder.UseRunner(runner);
        _decoder.UseRunner(runner);
        _parameters = [.. _encoder.Parameters(), .. _decoder.Parameters()];
        _adam = new Adam(_parameters, (float)options.LearningRate) { Runner = runner };
        _batchRandom = new SeededRandom(SeededRandom.Derive(seed, 1));
        _latentSeed = SeededRandom.Derive(seed, 2);
        _latentRandom = new SeededRandom(_latentSeed);
        _noiseRandom = new SeededRandom(SeededRandom.Derive(seed, 3));
        _eps = new Matrix(0, _emb); _std = new Matrix(0, _emb); _z = new Matrix(0, _emb);
        _dLogits = new Matrix(0, _width); _dHead = new Matrix(0, 2 * _emb);
        _noise = new float[_parameters.Max(p => p.Length)];
        _crossEntropyJob = new CrossEntropyJob(this);
    }

    internal static int[] EncoderSizes(DpTvaeOptions o, int width) => [width, .. o.CompressDims, 2 * o.EmbeddingDim];
    internal static int[] DecoderSizes(DpTvaeOptions o, int width) => [o.EmbeddingDim, .. o.DecompressDims, width];

    /// <summary>
    /// Charges the accountant for the whole training (the rest of its budget), then trains. Throws
    /// <c>dp.budget-too-small</c> when no noise multiplier up to <see cref="DpSgdCalibration.MaxNoiseMultiplier"/> fits.
    /// </summary>
    /// <param name="data">The coded table (its domain is public).</param>
    /// <param name="accountant">Charged once, for all steps, with everything it has left.</param>
    /// <param name="options">Training settings.</param>
    /// <param name="seed">Every random choice (initialisation, batches, latent and gradient noise) comes from it.</param>
    /// <param name="progress">Told the step count now and then (never the loss).</param>
    /// <param name="cancel">Checked before every step.</param>
    /// <param name="maxThreads">Threads (null = options', else all cores); the result never depends on it.</param>
    /// <param name="publicRowCount">The row count that sets q and the number of steps. Under add/remove adjacency the true
    /// count is itself private: pass a DP-released count when one exists; null uses the true count, treating it as public
    /// (as Opacus and TF Privacy do).</param>
    public static DpTvaeNetwork Fit(DiscreteTable data, PrivacyAccountant accountant, DpTvaeOptions options, ulong seed,
        IProgress<StepProgress>? progress = null, CancellationToken cancel = default, int? maxThreads = null, int? publicRowCount = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(accountant);
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        if (data.ColumnCount == 0) throw new ArgumentException("DP-SGD needs at least one column.", nameof(data));
        int rows = publicRowCount ?? data.RowCount;
        if (rows < 1) throw new ArgumentException("DP-SGD needs a row count of at least 1.", nameof(publicRowCount));
        double q = Math.Min(1, options.BatchSize / (double)rows);
        int steps = (int)Math.Min(int.MaxValue, Math.Ceiling(options.Epochs / q));
        double sigma = DpSgdCalibration.NoiseMultiplier(accountant, q, steps);
        accountant.Charge(new PrivacyCharge(Access, Mechanism, 0, 0, SubsampledGaussian.Curve(q, sigma, steps)));
        var training = new DpTvaeTraining(steps, q, sigma, rows);
        using var runner = new ParallelRunner(ParallelRunner.ThreadsFor(maxThreads ?? options.MaxThreads));
        var trainer = new DpTvaeTrainer(data, options, seed, runner);
        trainer.Train(training, progress, cancel);
        return new DpTvaeNetwork(data.Sizes, options, trainer._decoder.AsSequential(), training);
    }

    private void Train(DpTvaeTraining t, IProgress<StepProgress>? progress, CancellationToken cancel)
    {
        int perEpoch = Math.Max(1, (int)Math.Round(1 / t.SamplingRate));
        for (int step = 0; step < t.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            SampleBatch(t.SamplingRate);
            Step(t.NoiseMultiplier * _o.ClipNorm, t.SamplingRate * t.RowCountUsed);
            if ((step + 1) % perEpoch == 0 || step + 1 == t.Steps)
                progress?.Report(new StepProgress($"DP-SGD step {step + 1}/{t.Steps} (noise multiplier {t.NoiseMultiplier:0.00})", (step + 1) / (double)t.Steps));
        }
    }

    /// <summary>
    /// Poisson sampling: every row independently with probability q. The gaps between chosen rows are geometric, so one
    /// draw per chosen row instead of one per row gives exactly the same distribution.
    /// </summary>
    private void SampleBatch(double q)
    {
        _batch.Clear();
        int n = _data.RowCount;
        if (q >= 1) { for (int i = 0; i < n; i++) _batch.Add(i); return; }
        double logMiss = SubsampledGaussian.Log1P(-q);
        long position = -1;
        while (true)
        {
            double gap = Math.Floor(Math.Log(_batchRandom.NextOpenUnit()) / logMiss);
            position += (long)Math.Min(gap, n) + 1;
            if (position >= n) return;
            _batch.Add((int)position);
        }
    }

    /// <summary>One DP-SGD step on the current batch: clipped per-example gradients, summed, noised, scaled, Adam.</summary>
    internal void Step(double noiseStd, double expectedBatch)
    {
        int m = _batch.Count;
        if (m > 0) ClippedGradientSum(m);
        else foreach (var p in _parameters) p.ZeroGrad();
        float scale = (float)(1 / expectedBatch);
        foreach (var p in _parameters)
        {
            // Continuous (floating-point) Gaussian noise on purpose: the gradients are real-valued, so the discrete Gaussian
            // the marginal mechanisms use on counts does not apply; DP-SGD's analysis is the continuous subsampled Gaussian.
            var noise = _noise.AsSpan(0, p.Length);
            _normal.Fill(noise, _noiseRandom);
            var g = p.Grad.AsSpan();
            TensorPrimitives.MultiplyAdd(noise, (float)noiseStd, g, g);
            TensorPrimitives.Multiply(g, scale, g);
        }
        _adam.Step();
        _step++;
    }

    /// <summary>Writes Σ_i min(1, C/‖g_i‖)·g_i into every parameter's gradient, g_i the gradient of example i's loss.</summary>
    internal void ClippedGradientSum(int m)
    {
        if (_hot.Length < m * _columns) _hot = new int[m * _columns];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < _columns; j++) _hot[i * _columns + j] = _offsets[j] + _data.Columns[j][_batch[i]];
        var head = _encoder.ForwardOneHot(_hot, _columns, m);           // m × 2e: [μ | log σ²]
        Reparameterize(head, m);
        var logits = _decoder.Forward(_z);
        CrossEntropyGradient(logits, m);
        var dz = _decoder.BackpropagateInputs(_dLogits, inputGradient: true)!;
        HeadGradient(head, dz, m);
        _encoder.BackpropagateInputs(_dHead, inputGradient: false);
        if (_norms.Length < m) { _norms = new double[m]; _scale = new float[m]; }
        var norms = _norms.AsSpan(0, m);
        norms.Clear();
        _encoder.AddSquaredNorms(norms);
        _decoder.AddSquaredNorms(norms);
        // Clip a hair below C: the norm comes from the activations in double, the clipped gradient from float32
        // products, and the sensitivity C must hold for the latter despite rounding.
        double clip = _o.ClipNorm * (1 - 1e-5);
        for (int i = 0; i < m; i++)
        {
            double norm = Math.Sqrt(norms[i]);
            _scale[i] = norm > clip ? (float)(clip / norm) : 1f;
        }
        _encoder.AccumulateClipped(_scale.AsSpan(0, m), _runner);
        _decoder.AccumulateClipped(_scale.AsSpan(0, m), _runner);
    }

    /// <summary>Compute <see cref="LastLoss"/> (two logarithms per column and row; off in training, which never reports it).</summary>
    internal bool TrackLoss { get; set; }

    /// <summary>The summed loss (LossFactor·cross-entropy + KL) of the last <see cref="ClippedGradientSum"/> when <see cref="TrackLoss"/>, for the gradient tests.</summary>
    internal double LastLoss => _o.LossFactor * _crossEntropy + _kl;

    /// <summary>The per-example gradient norms of the last <see cref="ClippedGradientSum"/> (before clipping), for tests.</summary>
    internal ReadOnlySpan<double> LastSquaredNorms => _norms.AsSpan(0, _batch.Count);

    /// <summary>
    /// z = μ + ε·σ, σ = exp(½ log σ²), ε ~ N(0, I) from a stream of (step, row): an example's noise does not depend on
    /// which other rows share its batch, so its gradient alone can be recomputed (the clipping tests do).
    /// </summary>
    private void Reparameterize(Matrix head, int m)
    {
        foreach (var x in (Span<Matrix>)[_eps, _std, _z]) x.Reshape(m, _emb);
        ulong stepSeed = SeededRandom.Derive(_latentSeed, (ulong)_step);
        _kl = 0;
        for (int i = 0; i < m; i++)
        {
            _latentRandom.Reseed(SeededRandom.Derive(stepSeed, (ulong)_batch[i]));
            _normal.Fill(_eps.Row(i), _latentRandom);
            var std = _std.Row(i);
            TensorPrimitives.Multiply(head.Row(i)[_emb..], 0.5f, std);
            TensorPrimitives.Exp(std, std);
            TensorPrimitives.MultiplyAdd(_eps.Row(i), std, head.Row(i)[.._emb], _z.Row(i));
            var mu = head.Row(i)[.._emb];
            _kl += -0.5 * (_emb + TensorPrimitives.Sum(head.Row(i)[_emb..]) - TensorPrimitives.SumOfSquares(mu) - TensorPrimitives.SumOfSquares(std));
        }
    }

    /// <summary>
    /// ∂(LossFactor · Σ_columns cross-entropy)/∂logits = LossFactor·(softmax − one-hot), per column, per example, in
    /// blocks of <see cref="RowBlock"/> rows on the runner (rows are independent; the loss, kept for the tests only, is
    /// summed in block order).
    /// </summary>
    private void CrossEntropyGradient(Matrix logits, int m)
    {
        _dLogits.Reshape(m, _width);
        _logits = logits;
        int blocks = (m + RowBlock - 1) / RowBlock;
        if (_blockLoss.Length < blocks) _blockLoss = new double[blocks];
        _runner.Run(_crossEntropyJob, blocks);
        _crossEntropy = 0;
        for (int b = 0; b < blocks; b++) _crossEntropy += _blockLoss[b];
    }

    private const int RowBlock = 64;
    private Matrix? _logits;
    private double[] _blockLoss = [];

    /// <summary>
    /// One block of <see cref="CrossEntropyGradient"/>. Each column's max is subtracted (vector calls only for wide
    /// columns: on spans of 2–15 values their call overhead outweighs the arithmetic), then one vectorised exp runs over
    /// the whole block.
    /// </summary>
    private void CrossEntropyBlock(int block)
    {
        int first = block * RowBlock, last = Math.Min(_batch.Count, first + RowBlock);
        var logits = _logits!;
        for (int i = first; i < last; i++)
        {
            var x = logits.Row(i);
            var g = _dLogits.Row(i);
            for (int j = 0; j < _columns; j++)
            {
                int start = _offsets[j], size = _data.Sizes[j];
                if (size >= 16)
                {
                    TensorPrimitives.Subtract(x.Slice(start, size), TensorPrimitives.Max(x.Slice(start, size)), g.Slice(start, size));
                    continue;
                }
                float max = x[start];
                for (int k = start + 1; k < start + size; k++) max = MathF.Max(max, x[k]);
                for (int k = start; k < start + size; k++) g[k] = x[k] - max;
            }
        }
        var all = _dLogits.AsSpan().Slice(first * _width, (last - first) * _width);
        TensorPrimitives.Exp(all, all);
        float factor = (float)_o.LossFactor;
        double loss = 0;
        for (int i = first; i < last; i++)
        {
            int row = _batch[i];
            var g = _dLogits.Row(i);
            for (int j = 0; j < _columns; j++)
            {
                int start = _offsets[j], size = _data.Sizes[j], target = start + _data.Columns[j][row];
                var span = g.Slice(start, size);
                float sum;
                if (size >= 16) sum = TensorPrimitives.Sum(span);
                else { sum = 0; for (int k = 0; k < size; k++) sum += span[k]; }
                if (TrackLoss) loss += Math.Log(sum) - Math.Log(g[target]);
                float scale = factor / sum;
                if (size >= 16) TensorPrimitives.Multiply(span, scale, span);
                else for (int k = 0; k < size; k++) span[k] *= scale;
                g[target] -= factor;
            }
        }
        _blockLoss[block] = loss;
    }

    private sealed class CrossEntropyJob(DpTvaeTrainer t) : IBlockJob
    {
        public void RunBlock(int block) => t.CrossEntropyBlock(block);
    }

    /// <summary>
    /// ∂loss_i/∂[μ | log σ²] from the decoder's ∂/∂z and example i's own KL term −½Σ(1 + log σ² − μ² − σ²):
    /// ∂/∂μ = dz + μ; ∂/∂log σ² = ½·dz·ε·σ + ½(σ² − 1) = ½·σ·(dz·ε + σ) − ½.
    /// </summary>
    private void HeadGradient(Matrix head, Matrix dz, int m)
    {
        _dHead.Reshape(m, 2 * _emb);
        for (int i = 0; i < m; i++)
        {
            var dMu = _dHead.Row(i)[.._emb];
            var dLogVar = _dHead.Row(i)[_emb..];
            TensorPrimitives.Add(dz.Row(i), head.Row(i)[.._emb], dMu);
            TensorPrimitives.MultiplyAdd(dz.Row(i), _eps.Row(i), _std.Row(i), dLogVar);
            TensorPrimitives.Multiply(dLogVar, _std.Row(i), dLogVar);
            TensorPrimitives.Multiply(dLogVar, 0.5f, dLogVar);
            TensorPrimitives.Add(dLogVar, -0.5f, dLogVar);
        }
    }

    /// <summary>A trainer over <paramref name="data"/> with the given batch, for the tests of per-example clipping.</summary>
    internal static DpTvaeTrainer ForTests(DiscreteTable data, DpTvaeOptions options, ulong seed, IEnumerable<int> batch)
    {
        var t = new DpTvaeTrainer(data, options, seed, ParallelRunner.Inline);
        t._batch.AddRange(batch);
        return t;
    }

    internal DpTvaeMlp Encoder => _encoder;
    internal DpTvaeMlp Decoder => _decoder;
    internal IReadOnlyList<Parameter> Parameters => _parameters;
}
