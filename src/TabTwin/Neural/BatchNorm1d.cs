using System.Numerics.Tensors;

namespace TabTwin.Neural;

/// <summary>
/// Batch normalisation over rows, as PyTorch's BatchNorm1d: training normalises with the batch mean and biased
/// variance and updates running statistics (momentum 0.1, running variance unbiased); evaluation uses the running
/// statistics. Learnable scale (γ = 1) and shift (β = 0).
/// </summary>
internal sealed class BatchNorm1d : Layer
{
    private Matrix? _normalized, _output, _inputGrad;
    private readonly float[] _mean, _invStd, _sumGrad, _sumGradNorm, _scale;

    public BatchNorm1d(int features, float momentum = 0.1f, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        Features = features; Momentum = momentum; Epsilon = epsilon;
        Gamma = new Parameter("weight", 1, features);
        Beta = new Parameter("bias", 1, features);
        RunningMean = new Parameter("running_mean", 1, features, trainable: false);
        RunningVar = new Parameter("running_var", 1, features, trainable: false);
        Gamma.Value.AsSpan().Fill(1);
        RunningVar.Value.AsSpan().Fill(1);
        _mean = new float[features]; _invStd = new float[features];
        _sumGrad = new float[features]; _sumGradNorm = new float[features]; _scale = new float[features];
    }

    public int Features { get; }
    public float Momentum { get; }
    public float Epsilon { get; }
    public Parameter Gamma { get; }
    public Parameter Beta { get; }
    public Parameter RunningMean { get; }
    public Parameter RunningVar { get; }
    private bool _lastTraining;

    public override Matrix Forward(Matrix input, bool training)
    {
        if (input.Cols != Features) throw new ArgumentException($"BatchNorm1d expects {Features} columns, got {input.Cols}.");
        int n = input.Rows;
        if (training && n < 2) throw new ArgumentException("BatchNorm1d needs at least 2 rows per batch in training mode.");
        _lastTraining = training;
        var xhat = Matrix.Ensure(ref _normalized, n, Features);
        var y = Matrix.Ensure(ref _output, n, Features);
        if (training)
        {
            var mean = _mean.AsSpan();
            mean.Clear();
            for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, input.Row(i), mean);
            TensorPrimitives.Multiply(mean, 1f / n, mean);
            var variance = _invStd.AsSpan(); // holds the variance until turned into 1/std below
            variance.Clear();
            for (int i = 0; i < n; i++)
            {
                var d = xhat.Row(i);
                TensorPrimitives.Subtract(input.Row(i), mean, d);
                TensorPrimitives.MultiplyAdd(d, d, variance, variance);
            }
            TensorPrimitives.Multiply(variance, 1f / n, variance);
            var rm = RunningMean.Value.AsSpan();
            var rv = RunningVar.Value.AsSpan();
            float unbias = n / (float)(n - 1);
            for (int j = 0; j < Features; j++)
            {
                rm[j] = (1 - Momentum) * rm[j] + Momentum * mean[j];
                rv[j] = (1 - Momentum) * rv[j] + Momentum * variance[j] * unbias;
                variance[j] = 1f / MathF.Sqrt(variance[j] + Epsilon);
            }
            for (int i = 0; i < n; i++) TensorPrimitives.Multiply(xhat.Row(i), _invStd, xhat.Row(i));
        }
        else
        {
            var rv = RunningVar.Value.AsSpan();
            for (int j = 0; j < Features; j++) _invStd[j] = 1f / MathF.Sqrt(rv[j] + Epsilon);
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Subtract(input.Row(i), RunningMean.Value.AsSpan(), xhat.Row(i));
                TensorPrimitives.Multiply(xhat.Row(i), _invStd, xhat.Row(i));
            }
        }
        var gamma = Gamma.Value.AsSpan();
        var beta = Beta.Value.AsSpan();
        for (int i = 0; i < n; i++) TensorPrimitives.MultiplyAdd(xhat.Row(i), gamma, beta, y.Row(i));
        return y;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        var xhat = _normalized ?? throw new InvalidOperationException("Backward before Forward.");
        int n = xhat.Rows;
        var sumDy = _sumGrad.AsSpan();
        var sumDyXhat = _sumGradNorm.AsSpan();
        sumDy.Clear(); sumDyXhat.Clear();
        for (int i = 0; i < n; i++)
        {
            TensorPrimitives.Add(sumDy, outputGradient.Row(i), sumDy);
            TensorPrimitives.MultiplyAdd(outputGradient.Row(i), xhat.Row(i), sumDyXhat, sumDyXhat);
        }
        if (NeedsParameterGradients)
        {
            TensorPrimitives.Add(Gamma.Grad.AsSpan(), sumDyXhat, Gamma.Grad.AsSpan());
            TensorPrimitives.Add(Beta.Grad.AsSpan(), sumDy, Beta.Grad.AsSpan());
        }
        var dx = Matrix.Ensure(ref _inputGrad, n, Features);
        if (!NeedsInputGradient) return dx;
        // dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)) in training; γ/σ · dy in evaluation (constant statistics).
        // Here sumDy becomes −mean(dy), sumDyXhat −mean(dy·x̂), and _scale γ/σ, so each row is three vector passes.
        float negInverseN = _lastTraining ? -1f / n : 0f;
        TensorPrimitives.Multiply(sumDy, negInverseN, sumDy);
        TensorPrimitives.Multiply(sumDyXhat, negInverseN, sumDyXhat);
        TensorPrimitives.Multiply(Gamma.Value.AsSpan(), _invStd, _scale);
        for (int i = 0; i < n; i++)
        {
            var d = dx.Row(i);
            TensorPrimitives.Add(outputGradient.Row(i), sumDy, d);
            TensorPrimitives.MultiplyAdd(xhat.Row(i), sumDyXhat, d, d);
            TensorPrimitives.Multiply(d, _scale, d);
        }
        return dx;
    }

    public override IEnumerable<NamedParameter> NamedParameters() =>
        [new("weight", Gamma), new("bias", Beta), new("running_mean", RunningMean), new("running_var", RunningVar)];
}
