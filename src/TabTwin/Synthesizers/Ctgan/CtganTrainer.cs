using System.Numerics.Tensors;
using TabTwin.Neural;
using TabTwin.Synthesizers.NeuralData;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Ctgan;

/// <summary>Mean losses of one training epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="GeneratorLoss">−mean D(fake) + conditional cross-entropy.</param>
/// <param name="DiscriminatorLoss">mean D(fake) − mean D(real) (without the gradient penalty), as CTGAN reports it.</param>
/// <param name="GradientPenalty">The penalty term λ·mean(‖∇D‖ − 1)².</param>
public sealed record CtganEpoch(int Epoch, double GeneratorLoss, double DiscriminatorLoss, double GradientPenalty);

/// <summary>
/// CTGAN's training loop (Xu et al. 2019; the reference implementation's step order): per step, critic updates
/// with WGAN-GP on pac-packed real/fake rows under training-by-sampling conditions, then one generator update
/// with −D(fake) plus the conditional cross-entropy. Every buffer is allocated before the first step; the loop
/// itself allocates nothing. Single control thread; matrix products fan out on a <see cref="ParallelRunner"/>
/// with a fixed partition, so the result is identical for any thread count.
/// </summary>
internal sealed class CtganTrainer
{
    private readonly CtganOptions _o;
    private readonly float[] _data;
    private readonly int _rows, _dataWidth, _condWidth, _batch, _pac, _rowWidth;
    private readonly ConditionalSampler _sampler;
    private readonly Sequential _generator, _critic;
    private readonly GeneratorHead _head;
    private readonly GradientPenalty _penalty;
    private readonly Adam _adamG, _adamD;
    private readonly SeededRandom _random;
    private readonly NormalNoise _noise = new();
    // Buffers (allocated once).
    private readonly Matrix _gIn, _act, _both, _bothPacked, _interp, _interpPacked, _fake, _fakePacked, _dBoth, _dFake, _dAct, _dRaw;
    private readonly int[] _columns, _categories, _perm;
    private Matrix? _raw;   // the generator's raw output of the last GenerateFakes (owned by its last layer)
    private readonly float[] _alpha, _z;

    public CtganTrainer(CtganOptions options, float[] data, int rows, IReadOnlyList<OutputSpan> spans, int dataWidth,
        ConditionalSampler sampler, Sequential generator, Sequential critic, SeededRandom random)
    {
        _o = options; _data = data; _rows = rows; _dataWidth = dataWidth; _sampler = sampler;
        _generator = generator; _critic = critic; _random = random;
        _condWidth = sampler.Width;
        _batch = options.BatchSize; _pac = options.Pac;
        _rowWidth = dataWidth + _condWidth;
        _head = new GeneratorHead(spans, (float)options.GumbelTau);
        _penalty = new GradientPenalty(critic);
        _adamG = new Adam(generator.Parameters(), (float)options.GeneratorLr, 0.5f, 0.9f, weightDecay: (float)options.Decay) { Runner = generator.Runner };
        _adamD = new Adam(critic.Parameters(), (float)options.DiscriminatorLr, 0.5f, 0.9f, weightDecay: (float)options.Decay) { Runner = critic.Runner };
        int groups = _batch / _pac;
        _gIn = new Matrix(_batch, options.EmbeddingDim + _condWidth);
        _act = new Matrix(_batch, dataWidth);
        _both = new Matrix(2 * _batch, _rowWidth);
        _bothPacked = new Matrix(_both.Data, 2 * groups, _pac * _rowWidth);
        _interp = new Matrix(_batch, _rowWidth);
        _interpPacked = new Matrix(_interp.Data, groups, _pac * _rowWidth);
        _fake = new Matrix(_batch, _rowWidth);
        _fakePacked = new Matrix(_fake.Data, groups, _pac * _rowWidth);
        _dBoth = new Matrix(2 * groups, 1);
        _dFake = new Matrix(groups, 1);
        _dAct = new Matrix(_batch, dataWidth);
        _dRaw = new Matrix(_batch, dataWidth);
        _columns = new int[_batch]; _categories = new int[_batch]; _perm = new int[_batch];
        _alpha = new float[groups];
        _z = new float[_batch * options.EmbeddingDim];
        // Signs of the critic loss −(mean D(real) − mean D(fake)) per packed row, fixed for every step.
        for (int g = 0; g < groups; g++) { _dBoth[g, 0] = -1f / groups; _dBoth[groups + g, 0] = 1f / groups; _dFake[g, 0] = -1f / groups; }
    }

    /// <summary>Runs the epochs; returns the per-epoch losses (fewer when early stopping ends training).</summary>
    public List<CtganEpoch> Train(IProgress<StepProgress>? progress, CancellationToken cancel)
    {
        int steps = Math.Max(_rows / _batch, 1);
        var history = new List<CtganEpoch>(_o.Epochs);
        double best = double.PositiveInfinity;
        int sinceBest = 0;
        for (int epoch = 1; epoch <= _o.Epochs; epoch++)
        {
            double g = 0, d = 0, gp = 0, w = 0;
            for (int step = 0; step < steps; step++)
            {
                cancel.ThrowIfCancellationRequested();
                for (int k = 0; k < _o.DiscriminatorSteps; k++)
                {
                    var (lossD, penalty) = CriticStep();
                    if (k == _o.DiscriminatorSteps - 1) { d += lossD; gp += penalty; w += Math.Abs(lossD); }
                }
                g += GeneratorStep();
            }
            var record = new CtganEpoch(epoch, g / steps, d / steps, gp / steps);
            history.Add(record);
            progress?.Report(new StepProgress($"epoch {epoch}/{_o.Epochs}, G {record.GeneratorLoss:0.000}, D {record.DiscriminatorLoss:0.000}", epoch / (double)_o.Epochs));
            if (_o.EarlyStopping is { } patience)
            {
                double distance = w / steps;
                if (distance < best - _o.EarlyStoppingMinDelta) { best = distance; sinceBest = 0; }
                else if (++sinceBest >= patience) break;
            }
        }
        return history;
    }

    /// <summary>One critic update; returns (mean D(fake) − mean D(real), penalty).</summary>
    private (double Loss, double Penalty) CriticStep()
    {
        GenerateFakes();
        // Fake rows [act, cond] into the second half of the stacked batch.
        for (int i = 0; i < _batch; i++)
        {
            var row = _both.Row(_batch + i);
            _act.Row(i).CopyTo(row);
            _gIn.Row(i)[_o.EmbeddingDim..].CopyTo(row[_dataWidth..]);
        }
        // Real rows for a shuffled copy of the conditions (as the reference implementation), each with its condition.
        for (int i = 0; i < _batch; i++) _perm[i] = i;
        for (int i = _batch - 1; i > 0; i--) { int j = _random.NextInt(i + 1); (_perm[i], _perm[j]) = (_perm[j], _perm[i]); }
        for (int i = 0; i < _batch; i++)
        {
            int p = _perm[i];
            int source = _columns[p] >= 0 ? _sampler.SampleRow(_columns[p], _categories[p], _random) : _random.NextInt(_rows);
            var row = _both.Row(i);
            _data.AsSpan(source * _dataWidth, _dataWidth).CopyTo(row);
            _gIn.Row(p)[_o.EmbeddingDim..].CopyTo(row[_dataWidth..]);
        }
        // Interpolates between real and fake, one mixing weight per pac group.
        UniformNoise.Fill(_alpha, _random);
        int groupWidth = _pac * _rowWidth;
        for (int g = 0; g < _alpha.Length; g++)
        {
            var real = _both.Data.AsSpan(g * groupWidth, groupWidth);
            var fake = _both.Data.AsSpan((_batch * _rowWidth) + g * groupWidth, groupWidth);
            var target = _interp.Data.AsSpan(g * groupWidth, groupWidth);
            TensorPrimitives.Lerp(fake, real, _alpha[g], target); // α·real + (1 − α)·fake
        }

        _adamD.ZeroGrad();
        double penalty = _o.GradientPenalty > 0 ? _penalty.Apply(_interpPacked, (float)_o.GradientPenalty) : 0;
        var scores = _critic.Forward(_bothPacked, training: true);
        int groups = _batch / _pac;
        double realMean = 0, fakeMean = 0;
        for (int g = 0; g < groups; g++) { realMean += scores[g, 0]; fakeMean += scores[groups + g, 0]; }
        _critic.NeedsInputGradient = false;
        _critic.Backward(_dBoth);
        _adamD.Step();
        return ((fakeMean - realMean) / groups, penalty);
    }

    /// <summary>One generator update; returns −mean D(fake) + conditional cross-entropy.</summary>
    private double GeneratorStep()
    {
        // The critic step just before generated a batch with the current generator; reusing it is exact.
        var raw = _o.ReuseFakeBatch && _raw is not null ? _raw : GenerateFakes();
        for (int i = 0; i < _batch; i++)
        {
            var row = _fake.Row(i);
            _act.Row(i).CopyTo(row);
            _gIn.Row(i)[_o.EmbeddingDim..].CopyTo(row[_dataWidth..]);
        }
        var scores = _critic.Forward(_fakePacked, training: true);
        double loss = 0;
        for (int g = 0; g < scores.Rows; g++) loss -= scores[g, 0];
        loss /= scores.Rows;
        _critic.NeedsInputGradient = true;
        _critic.SetParameterGradients(false);   // only ∂D/∂input is needed here
        var dInput = _critic.Backward(_dFake);
        _critic.SetParameterGradients(true);
        for (int i = 0; i < _batch; i++) dInput.Data.AsSpan(i * _rowWidth, _dataWidth).CopyTo(_dAct.Row(i));
        _head.Backward(_act, _dAct, _dRaw);
        if (_condWidth > 0) loss += _head.ConditionLoss(raw, _columns, _categories, _dRaw, 1f / _batch);
        _adamG.ZeroGrad();
        _generator.Backward(_dRaw);
        _adamG.Step();
        return loss;
    }

    /// <summary>Draws conditions and noise into the generator input, runs the generator and its head; returns the raw output.</summary>
    private Matrix GenerateFakes()
    {
        int e = _o.EmbeddingDim;
        _noise.Fill(_z, _random);
        for (int i = 0; i < _batch; i++)
        {
            var row = _gIn.Row(i);
            _z.AsSpan(i * e, e).CopyTo(row);
            if (_condWidth == 0) { _columns[i] = -1; continue; }
            row[e..].Clear();
            var (column, category) = _o.LogFrequency ? _sampler.SampleTraining(_random) : _sampler.SampleOriginal(_random);
            _columns[i] = column; _categories[i] = category;
            row[e + _sampler.Offset(column) + category] = 1;
        }
        var raw = _raw = _generator.Forward(_gIn, training: true);
        _head.Activate(raw, _act, _random, _generator.Runner);
        return raw;
    }
}
