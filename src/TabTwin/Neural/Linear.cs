using System.Numerics.Tensors;
using TabTwin.Encoding;

namespace TabTwin.Neural;

/// <summary>
/// y = x·W + b with W stored in×out (row-major, so the forward product streams W's rows). Initialised like
/// PyTorch's nn.Linear (Kaiming-uniform with a = √5, i.e. weights and biases uniform in ±1/√in) from a seeded stream.
/// </summary>
public sealed class Linear : Layer
{
    private Matrix? _input, _output, _inputGrad;

    public Linear(int inputs, int outputs, SeededRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        ArgumentNullException.ThrowIfNull(random);
        Inputs = inputs; Outputs = outputs;
        Weight = new Parameter("weight", inputs, outputs);
        Bias = new Parameter("bias", 1, outputs);
        float bound = 1f / MathF.Sqrt(inputs);
        // PyTorch's order: the weight (out×in) row by row, then the bias; we store its transpose.
        for (int o = 0; o < outputs; o++)
            for (int i = 0; i < inputs; i++) Weight.Value[i, o] = (float)((2 * random.NextDouble() - 1) * bound);
        for (int o = 0; o < outputs; o++) Bias.Value[0, o] = (float)((2 * random.NextDouble() - 1) * bound);
    }

    public int Inputs { get; }
    public int Outputs { get; }
    /// <summary>inputs × outputs.</summary>
    public Parameter Weight { get; }
    /// <summary>1 × outputs.</summary>
    public Parameter Bias { get; }

    public override Matrix Forward(Matrix input, bool training)
    {
        if (input.Cols != Inputs) throw new ArgumentException($"Linear layer expects {Inputs} input columns, got {input.Cols}.");
        _input = input;
        var y = Matrix.Ensure(ref _output, input.Rows, Outputs);
        MatMul.Multiply(input, Weight.Value, y, Bias.Value, Runner);
        return y;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        var x = _input ?? throw new InvalidOperationException("Backward before Forward.");
        if (NeedsParameterGradients)
        {
            MatMul.MultiplyTransposedA(x, outputGradient, Weight.Grad, Runner, accumulate: true);
            var db = Bias.Grad.AsSpan();
            for (int i = 0; i < outputGradient.Rows; i++) TensorPrimitives.Add(db, outputGradient.Row(i), db);
        }
        var dx = Matrix.Ensure(ref _inputGrad, x.Rows, Inputs);
        if (NeedsInputGradient) MatMul.MultiplyTransposedB(outputGradient, Weight.Value, dx, Runner);
        return dx;
    }

    /// <summary>The input gradient only (dy·Wᵀ), without touching parameter gradients (for gradient-penalty passes).</summary>
    public void BackwardInput(Matrix outputGradient, Matrix inputGradient) =>
        MatMul.MultiplyTransposedB(outputGradient, Weight.Value, inputGradient, Runner);

    public override IEnumerable<NamedParameter> NamedParameters() => [new("weight", Weight), new("bias", Bias)];
}
