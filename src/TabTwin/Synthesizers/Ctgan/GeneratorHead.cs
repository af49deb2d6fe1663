using System.Numerics.Tensors;
using TabTwin.Neural;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Ctgan;

/// <summary>
/// The generator's output activations per transformer span: tanh on α spans, Gumbel-softmax (temperature τ) on
/// one-hot spans; their backward pass; and CTGAN's conditional loss (cross-entropy of the conditioned column's
/// logits against the requested category). Buffers are reused; one instance per training loop or sampling thread.
/// </summary>
internal sealed class GeneratorHead
{
    private readonly OutputSpan[] _spans;
    private readonly OutputSpan[] _discrete;
    private readonly float _tau;
    private Matrix? _gumbel;
    private SeededRandom?[] _streams = [];
    private readonly ActivationJob _activation;

    public GeneratorHead(IReadOnlyList<OutputSpan> spans, float tau)
    {
        _spans = spans.ToArray();
        _discrete = _spans.Where(s => s.Role == SpanRole.Category).ToArray();
        _tau = tau;
        _activation = new ActivationJob(this);
    }

    /// <summary>
    /// act = tanh(raw) on α spans and softmax((raw + Gumbel noise)/τ) on one-hot spans. Rows are processed in
    /// fixed blocks of <see cref="RowsPerBlock"/>, each with its own noise stream derived from one draw of
    /// <paramref name="random"/>, so the blocks can run in parallel and the result does not depend on the thread count.
    /// </summary>
    public void Activate(Matrix raw, Matrix act, SeededRandom random, ParallelRunner? runner = null)
    {
        act.Reshape(raw.Rows, raw.Cols);
        Matrix.Ensure(ref _gumbel, raw.Rows, raw.Cols);
        int blocks = (raw.Rows + RowsPerBlock - 1) / RowsPerBlock;
        if (_streams.Length < blocks) Array.Resize(ref _streams, blocks);
        _activation.Set(raw, act, random.NextUInt64());
        if (runner is { Threads: > 1 }) runner.Run(_activation, blocks);
        else for (int b = 0; b < blocks; b++) _activation.RunBlock(b);
    }

    private const int RowsPerBlock = 32;

    private void ActivateRows(Matrix raw, Matrix act, int start, int end, SeededRandom random)
    {
        var g = _gumbel!;
        UniformNoise.FillGumbel(g.Data.AsSpan(start * raw.Cols, (end - start) * raw.Cols), random);
        float inverseTau = 1f / _tau;
        for (int i = start; i < end; i++)
        {
            var x = raw.Row(i);
            var y = act.Row(i);
            var noise = g.Row(i);
            foreach (var s in _spans)
            {
                var xs = x.Slice(s.Start, s.Width);
                var ys = y.Slice(s.Start, s.Width);
                if (s.Activation == SpanActivation.Tanh) { TensorPrimitives.Tanh(xs, ys); continue; }
                Softmax.Row(xs, noise.Slice(s.Start, s.Width), ys, inverseTau);
            }
        }
    }

    /// <summary>One block of rows of <see cref="Activate"/>, with the block's own reseeded noise stream.</summary>
    private sealed class ActivationJob(GeneratorHead head) : IBlockJob
    {
        private Matrix _raw = null!, _act = null!;
        private ulong _seed;

        public void Set(Matrix raw, Matrix act, ulong seed) { _raw = raw; _act = act; _seed = seed; }

        public void RunBlock(int block)
        {
            var stream = head._streams[block] ??= new SeededRandom(0);
            stream.Reseed(SeededRandom.Derive(_seed, (ulong)block));
            int start = block * RowsPerBlock;
            head.ActivateRows(_raw, _act, start, Math.Min(_raw.Rows, start + RowsPerBlock), stream);
        }
    }

    /// <summary>dRaw = ∂act/∂raw applied to dAct (tanh′ on α spans; softmax Jacobian / τ on one-hot spans).</summary>
    public void Backward(Matrix act, Matrix dAct, Matrix dRaw)
    {
        dRaw.Reshape(act.Rows, act.Cols);
        float inverseTau = 1f / _tau;
        for (int i = 0; i < act.Rows; i++)
        {
            var y = act.Row(i);
            var dy = dAct.Row(i);
            var dx = dRaw.Row(i);
            foreach (var s in _spans)
            {
                var ys = y.Slice(s.Start, s.Width);
                var dys = dy.Slice(s.Start, s.Width);
                var dxs = dx.Slice(s.Start, s.Width);
                if (s.Activation == SpanActivation.Tanh)
                {
                    for (int j = 0; j < ys.Length; j++) dxs[j] = dys[j] * (1 - ys[j] * ys[j]);
                    continue;
                }
                Softmax.RowBackward(ys, dys, dxs, inverseTau);
            }
        }
    }

    /// <summary>
    /// Adds scale · Σ_rows CE(softmax(raw[conditioned column]), requested category) into <paramref name="dRaw"/> and
    /// returns the loss (CTGAN's cond loss, with scale = 1/batch). Rows whose column is −1 are unconditioned.
    /// </summary>
    public double ConditionLoss(Matrix raw, ReadOnlySpan<int> columns, ReadOnlySpan<int> categories, Matrix dRaw, float scale)
    {
        double loss = 0;
        for (int i = 0; i < raw.Rows; i++)
        {
            if (columns[i] < 0) continue;
            var s = _discrete[columns[i]];
            var x = raw.Row(i).Slice(s.Start, s.Width);
            var d = dRaw.Row(i).Slice(s.Start, s.Width);
            float max = TensorPrimitives.Max(x);
            double sum = 0;
            for (int j = 0; j < x.Length; j++) sum += Math.Exp(x[j] - max);
            double logSum = max + Math.Log(sum);
            for (int j = 0; j < x.Length; j++)
                d[j] += scale * ((float)Math.Exp(x[j] - logSum) - (j == categories[i] ? 1f : 0f));
            loss += logSum - x[categories[i]];
        }
        return loss * scale;
    }

    /// <summary>
    /// Final outputs for sampling: tanh on α spans and, on one-hot spans, a one-hot of argmax(raw + Gumbel noise)
    /// — the category a Gumbel-softmax output's argmax would pick, i.e. a draw from softmax(raw), for any τ.
    /// </summary>
    public void Sample(Matrix raw, Matrix output, SeededRandom random)
    {
        output.Reshape(raw.Rows, raw.Cols);
        var g = Matrix.Ensure(ref _gumbel, raw.Rows, raw.Cols);
        UniformNoise.FillGumbel(g.AsSpan(), random);
        for (int i = 0; i < raw.Rows; i++)
        {
            var x = raw.Row(i);
            var y = output.Row(i);
            var noise = g.Row(i);
            foreach (var s in _spans)
            {
                var xs = x.Slice(s.Start, s.Width);
                var ys = y.Slice(s.Start, s.Width);
                if (s.Activation == SpanActivation.Tanh) { TensorPrimitives.Tanh(xs, ys); continue; }
                TensorPrimitives.Add(xs, noise.Slice(s.Start, s.Width), ys);
                int best = TensorPrimitives.IndexOfMax(ys);
                ys.Clear();
                ys[best] = 1;
            }
        }
    }
}
