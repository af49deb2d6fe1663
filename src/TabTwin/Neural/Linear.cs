using System.Numerics.Tensors;
using TabTwin.Randomness;

namespace TabTwin.Neural;

/// <summary>
/// y = x·W + b with W stored in×out (row-major, so the forward product streams W's rows). Initialised like
/// PyTorch's nn.Linear (Kaiming-uniform with a = √5, i.e. weights and biases uniform in ±1/√in) from a seeded stream.
/// </summary>
internal sealed class Linear : Layer
{
    private Matrix? _input, _output, _inputGrad;
    private SparseInputs? _sparse;
    private IndexRanges? _inputGradientColumns;
    private Matrix? _transposed;
    private int _transposedVersion = -1;

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

    /// <summary>
    /// Input columns that are mostly zero (a one-hot conditional vector): the products run densely over the other
    /// columns and add one weight row per nonzero entry here; rows that are mostly zero everywhere (one-hot encoded
    /// real rows) are handled entirely that way. Only speed changes (and the order of the sums).
    /// </summary>
    public IndexRanges? SparseInputColumns
    {
        get => _sparse?.Ranges;
        set
        {
            if (value is not null && value.Limit > Inputs) throw new ArgumentException($"Sparse input columns reach {value.Limit}; the layer has {Inputs} inputs.");
            _sparse = value is null || value.Count == 0 ? null : new SparseInputs(value, Inputs);
        }
    }

    /// <summary>
    /// Only these columns of the input gradient are computed (the rest are left as they are): for inputs whose
    /// gradient nobody reads, such as the noise and conditions a generator block passes through. Null = all.
    /// </summary>
    public IndexRanges? InputGradientColumns
    {
        get => _inputGradientColumns;
        set
        {
            if (value is not null && value.Limit > Inputs) throw new ArgumentException($"Input-gradient columns reach {value.Limit}; the layer has {Inputs} inputs.");
            _inputGradientColumns = value;
        }
    }

    /// <summary>
    /// Wᵀ (outputs × inputs), rebuilt only when the weight has changed (<see cref="Parameter.Version"/>): input
    /// gradients dy·Wᵀ then run on the plain product kernel, and a critic whose weights are used for several input
    /// gradients between two optimiser steps (the gradient penalty, the generator's loss) transposes them once.
    /// </summary>
    private Matrix TransposedWeight()
    {
        if (_transposed is null || _transposedVersion != Weight.Version)
        {
            _transposed ??= new Matrix(Outputs, Inputs);
            Transposer.Transpose(Weight.Value.Data, null, Inputs, Outputs, _transposed.Data);
            _transposedVersion = Weight.Version;
        }
        return _transposed;
    }

    public override Matrix Forward(Matrix input, bool training)
    {
        if (input.Cols != Inputs) throw new ArgumentException($"Linear layer expects {Inputs} input columns, got {input.Cols}.");
        _input = input;
        var y = Matrix.Ensure(ref _output, input.Rows, Outputs);
        _sparse?.Build(input);
        MatMul.Multiply(input, Weight.Value, y, Bias.Value, Runner, inner: _sparse?.DenseColumns, rows: _sparse?.DenseRows);
        _sparse?.AddProducts(Weight.Value, Bias.Value, y);
        return y;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        var x = _input ?? throw new InvalidOperationException("Backward before Forward.");
        if (NeedsParameterGradients)
        {
            MatMul.MultiplyTransposedA(x, outputGradient, Weight.Grad, Runner, accumulate: true, rows: _sparse?.DenseColumns, inner: _sparse?.DenseRows);
            _sparse?.AddOuterProducts(outputGradient, Weight.Grad);
            var db = Bias.Grad.AsSpan();
            for (int i = 0; i < outputGradient.Rows; i++) TensorPrimitives.Add(db, outputGradient.Row(i), db);
        }
        var dx = Matrix.Ensure(ref _inputGrad, x.Rows, Inputs);
        if (NeedsInputGradient) MatMul.Multiply(outputGradient, TransposedWeight(), dx, bias: null, Runner, columns: _inputGradientColumns);
        return dx;
    }

    /// <summary>The input gradient only (dy·Wᵀ, every column), without touching parameter gradients (for gradient-penalty passes).</summary>
    public void BackwardInput(Matrix outputGradient, Matrix inputGradient) =>
        MatMul.Multiply(outputGradient, TransposedWeight(), inputGradient, bias: null, Runner);

    public override IEnumerable<NamedParameter> NamedParameters() => [new("weight", Weight), new("bias", Bias)];
}
