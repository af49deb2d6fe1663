using System.Numerics.Tensors;
using TabTwin.Neural;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Tvae;

/// <summary>What training did: epochs run and the mean loss of each.</summary>
public sealed record TvaeTrainingSummary(int EpochsRun, double[] EpochLoss, bool StoppedEarly);

/// <summary>
/// The TVAE training loop (Xu et al. 2019, as SDV's TVAE): encode a batch to μ, log σ², draw z = μ + ε·σ,
/// decode, and minimise LossFactor·(reconstruction)/B + KL/B with Adam. Reconstruction: for an α span,
/// (x − tanh r)²/(2s²) + log s with a learned per-column s clamped to [0.01, 1]; for a one-hot span, cross-entropy
/// of the logits. Every buffer is allocated before the first step; a step allocates nothing.
/// </summary>
internal sealed class TvaeTrainer
{
    private readonly TvaeOptions _o;
    private readonly float[] _data;
    private readonly int _rows, _width, _emb;
    private readonly OutputSpan[] _spans;
    private readonly int[] _targets;          // per row, per softmax span: the hot index of the real row
    private readonly int _softmaxSpans;
    private readonly Adam _adam;
    private readonly SeededRandom _random;
    /// <summary>Rows per block of the per-row work (fixed, so results do not depend on the thread count).</summary>
    private const int RowBlock = 64;
    private readonly ParallelRunner _runner;
    private readonly RowJob _job;
    private readonly NormalNoise[] _blockNoise;
    private readonly SeededRandom[] _blockRandom;
    private readonly double[] _klPart, _lossPart;
    private readonly float[][] _sigmaPart;
    private readonly int[] _batchRows;
    private readonly Matrix _batch, _eps, _std, _z, _dz, _dRecon, _dHead;
    private Matrix? _head, _recon, _dzFromDecoder;
    private Phase _phase;

    public TvaeTrainer(TvaeOptions options, ModeSpecificTransformer transformer, float[] data, int rows, ulong seed, ParallelRunner runner)
    {
        _o = options; _data = data; _rows = rows; _width = transformer.Width; _emb = options.EmbeddingDim;
        _spans = transformer.Spans.ToArray();
        Encoder = TvaeNetworks.Encoder(options, _width, SeededRandom.Derive(seed, 1));
        Decoder = TvaeNetworks.Decoder(options, _width, SeededRandom.Derive(seed, 2));
        Encoder.UseRunner(runner);
        Decoder.UseRunner(runner);
        Encoder.Layers[0].NeedsInputGradient = false;
        Encoder.NeedsInputGradient = false;
        Sigma = new Parameter("sigma", 1, _width);
        Sigma.Value.AsSpan().Fill(0.1f);
        _adam = new Adam(Encoder.Parameters().Concat(Decoder.Parameters()).Append(Sigma),
            (float)options.LearningRate, 0.9f, 0.999f, 1e-8f, (float)options.L2Scale) { Runner = runner };
        _random = new SeededRandom(SeededRandom.Derive(seed, 3));

        _softmaxSpans = _spans.Count(s => s.Activation == SpanActivation.Softmax);
        _targets = new int[(long)rows * _softmaxSpans];
        for (int i = 0; i < rows; i++)
        {
            var row = data.AsSpan(i * _width, _width);
            int k = 0;
            foreach (var s in _spans)
                if (s.Activation == SpanActivation.Softmax) _targets[i * _softmaxSpans + k++] = TensorPrimitives.IndexOfMax(row.Slice(s.Start, s.Width));
        }
        int b = Math.Min(options.BatchSize, rows);
        _batch = new Matrix(b, _width);
        _eps = new Matrix(b, _emb); _std = new Matrix(b, _emb); _z = new Matrix(b, _emb); _dz = new Matrix(b, _emb);
        _dRecon = new Matrix(b, _width); _dHead = new Matrix(b, 2 * _emb);
        int blocks = (b + RowBlock - 1) / RowBlock;
        _runner = runner;
        _job = new RowJob(this);
        _blockNoise = Enumerable.Range(0, blocks).Select(_ => new NormalNoise()).ToArray();
        _blockRandom = Enumerable.Range(0, blocks).Select(k => SeededRandom.For(SeededRandom.Derive(seed, 4), (ulong)k)).ToArray();
        _klPart = new double[blocks]; _lossPart = new double[blocks];
        _sigmaPart = Enumerable.Range(0, blocks).Select(_ => new float[_width]).ToArray();
        _batchRows = new int[b];
    }

    public Sequential Encoder { get; }
    public Sequential Decoder { get; }
    /// <summary>Per-column output scale s of the α spans (1 × width; only α columns are used).</summary>
    public Parameter Sigma { get; }

    public TvaeTrainingSummary Train(IProgress<StepProgress>? progress, CancellationToken cancel)
    {
        var order = Enumerable.Range(0, _rows).ToArray();
        var losses = new List<double>();
        double best = double.PositiveInfinity;
        int sinceBest = 0;
        bool stopped = false;
        int batchSize = _batch.Rows;
        for (int epoch = 0; epoch < _o.Epochs; epoch++)
        {
            _random.Shuffle<int>(order);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < _rows; start += batchSize)
            {
                cancel.ThrowIfCancellationRequested();
                int n = Math.Min(batchSize, _rows - start);
                sum += Step(order.AsSpan(start, n));
                batches++;
            }
            double loss = sum / batches;
            losses.Add(loss);
            progress?.Report(new StepProgress($"epoch {epoch + 1}/{_o.Epochs} loss {loss:0.000}", (epoch + 1) / (double)_o.Epochs));
            if (_o.EarlyStopping is { } es)
            {
                if (loss < best - es.MinDelta) { best = loss; sinceBest = 0; }
                else if (++sinceBest >= es.Patience) { stopped = true; break; }
            }
        }
        return new TvaeTrainingSummary(losses.Count, losses.ToArray(), stopped);
    }


    /// <summary>One optimisation step on the rows <paramref name="rows"/>; returns the batch loss.</summary>
    private double Step(ReadOnlySpan<int> rows)
    {
        int n = rows.Length;
        foreach (var m in (Span<Matrix>)[_batch, _eps, _std, _z, _dz, _dRecon, _dHead])
            m.Reshape(n, m.Cols);
        rows.CopyTo(_batchRows);
        for (int i = 0; i < n; i++) _data.AsSpan(rows[i] * _width, _width).CopyTo(_batch.Row(i));
        _adam.ZeroGrad();
        int blocks = (n + RowBlock - 1) / RowBlock;
        _head = Encoder.Forward(_batch, training: true);             // n × 2e: [μ | log σ²]
        RunBlocks(Phase.Reparameterize, blocks);
        _recon = Decoder.Forward(_z, training: true);
        RunBlocks(Phase.Reconstruction, blocks);
        var sigmaGrad = Sigma.Grad.AsSpan();
        double loss = 0;
        for (int b = 0; b < blocks; b++)                              // block order: deterministic sums
        {
            loss += _lossPart[b] + _klPart[b];
            TensorPrimitives.Add(sigmaGrad, _sigmaPart[b], sigmaGrad);
        }
        _dzFromDecoder = Decoder.Backward(_dRecon);
        RunBlocks(Phase.HeadGradient, blocks);
        Encoder.Backward(_dHead);
        _adam.Step();
        TensorPrimitives.Clamp(Sigma.Value.AsSpan(), 0.01f, 1.0f, Sigma.Value.AsSpan());
        return loss;
    }

    private void RunBlocks(Phase phase, int blocks)
    {
        _phase = phase;
        _runner.Run(_job, blocks);
    }

    private enum Phase { Reparameterize, Reconstruction, HeadGradient }

    /// <summary>Row-block work of a step. Block b always draws its noise from its own stream, so results do not depend on threads.</summary>
    private sealed class RowJob(TvaeTrainer t) : IBlockJob
    {
        public void RunBlock(int block)
        {
            int start = block * RowBlock, end = Math.Min(t._batch.Rows, start + RowBlock);
            switch (t._phase)
            {
                case Phase.Reparameterize: t.Reparameterize(block, start, end); break;
                case Phase.Reconstruction: t.ReconstructionLoss(block, start, end); break;
                default: t.HeadGradient(start, end); break;
            }
        }
    }

    /// <summary>z = μ + ε·σ with σ = exp(½ log σ²); the block's KL/n, Σ −½(1 + log σ² − μ² − σ²)/n.</summary>
    private void Reparameterize(int block, int start, int end)
    {
        var head = _head!;
        _blockNoise[block].Fill(_eps.AsSpan().Slice(start * _emb, (end - start) * _emb), _blockRandom[block]);
        double kl = 0;
        for (int i = start; i < end; i++)
        {
            var mu = head.Row(i)[.._emb];
            var logVar = head.Row(i)[_emb..];
            var std = _std.Row(i);
            TensorPrimitives.Multiply(logVar, 0.5f, std);
            TensorPrimitives.Exp(std, std);
            TensorPrimitives.MultiplyAdd(_eps.Row(i), std, mu, _z.Row(i));
            kl += -0.5 * (_emb + TensorPrimitives.Sum(logVar) - TensorPrimitives.SumOfSquares(mu) - TensorPrimitives.SumOfSquares(std));
        }
        _klPart[block] = kl / _batch.Rows;
    }

    /// <summary>∂loss/∂[μ | log σ²] from the decoder's dz and the KL term.</summary>
    private void HeadGradient(int start, int end)
    {
        var head = _head!;
        var dz = _dzFromDecoder!;
        float invN = 1f / _batch.Rows;
        for (int i = start; i < end; i++)
        {
            var mu = head.Row(i)[.._emb];
            var std = _std.Row(i);
            var dMu = _dHead.Row(i)[.._emb];
            var dLogVar = _dHead.Row(i)[_emb..];
            var dzi = dz.Row(i);
            var eps = _eps.Row(i);
            // ∂/∂μ = dz + μ/n;  ∂/∂log σ² = ½·dz·ε·σ + ½(σ² − 1)/n = ½·σ·(dz·ε + σ/n) − ½/n.
            TensorPrimitives.MultiplyAdd(mu, invN, dzi, dMu);
            TensorPrimitives.Multiply(dzi, eps, dLogVar);
            TensorPrimitives.MultiplyAdd(std, invN, dLogVar, dLogVar);
            TensorPrimitives.Multiply(dLogVar, std, dLogVar);
            TensorPrimitives.Multiply(dLogVar, 0.5f, dLogVar);
            TensorPrimitives.Add(dLogVar, -0.5f * invN, dLogVar);
        }
    }

    /// <summary>
    /// LossFactor/n · Σ span losses of rows [start, end): writes ∂/∂recon into _dRecon, the block's loss into
    /// _lossPart and its ∂/∂s into _sigmaPart (summed in block order by the caller).
    /// </summary>
    private void ReconstructionLoss(int block, int start, int end)
    {
        var recon = _recon!;
        float scale = (float)_o.LossFactor / _batch.Rows;
        var sigma = Sigma.Value.AsSpan();
        var sigmaGrad = _sigmaPart[block].AsSpan();
        sigmaGrad.Clear();
        // Softmax spans: subtract each span's max, then one vectorised exp over the block's rows.
        for (int i = start; i < end; i++)
        {
            var r = recon.Row(i);
            var d = _dRecon.Row(i);
            foreach (var s in _spans)
            {
                if (s.Activation == SpanActivation.Tanh) { d[s.Start] = 0; continue; }
                var logits = r.Slice(s.Start, s.Width);
                float max = logits[0];
                for (int k = 1; k < logits.Length; k++) max = MathF.Max(max, logits[k]);
                var g = d.Slice(s.Start, s.Width);
                for (int k = 0; k < logits.Length; k++) g[k] = logits[k] - max;
            }
        }
        var blockGrad = _dRecon.AsSpan().Slice(start * _width, (end - start) * _width);
        TensorPrimitives.Exp(blockGrad, blockGrad);
        double loss = 0;
        for (int i = start; i < end; i++)
        {
            var r = recon.Row(i);
            var x = _batch.Row(i);
            var d = _dRecon.Row(i);
            int k = 0;
            foreach (var s in _spans)
            {
                if (s.Activation == SpanActivation.Tanh)
                {
                    // (x − tanh r)²/(2s²) + log s
                    int c = s.Start;
                    float t = MathF.Tanh(r[c]), e = x[c] - t, sg = sigma[c];
                    float inv2 = 1f / (sg * sg);
                    loss += e * e * 0.5 * inv2 + Math.Log(sg);
                    d[c] = scale * -e * inv2 * (1 - t * t);
                    sigmaGrad[c] += scale * (-e * e * inv2 / sg + 1f / sg);
                    continue;
                }
                // Cross-entropy: log Σ exp(r − max) − (r[target] − max); gradient scale·(softmax − onehot).
                var g = d.Slice(s.Start, s.Width);
                int target = _targets[_batchRows[i] * _softmaxSpans + k++];
                float sum = 0;
                for (int q = 0; q < g.Length; q++) sum += g[q];
                loss += Math.Log(sum) - Math.Log(g[target]);
                float f = scale / sum;
                for (int q = 0; q < g.Length; q++) g[q] *= f;
                g[target] -= scale;
            }
        }
        _lossPart[block] = loss * scale;
    }
}
