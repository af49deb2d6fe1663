using System.Numerics.Tensors;
using TabTwin.Neural;
using TabTwin.Randomness;

namespace TabTwin.Synthesizers.Private;

/// <summary>
/// A Linear/ReLU stack trained with per-example gradient clipping. For a dense layer y = x·W + b, example i's weight
/// gradient is the outer product x_i ⊗ dy_i, so its squared norm is ‖x_i‖²·‖dy_i‖² (plus ‖dy_i‖² for the bias): the
/// exact per-example norm of every parameter costs one pass over the activations, and clipping is a per-row scale of
/// the output gradients before the batched weight-gradient product (backpropagation is linear in them). The pass is
/// split accordingly: <see cref="BackpropagateInputs"/> (output gradients of every layer, no parameter gradients),
/// <see cref="AddSquaredNorms"/>, then <see cref="AccumulateClipped"/>.
/// <para>
/// With <see cref="OneHotInput"/>, the first layer reads one-hot rows given as their hot indices: its forward pass adds
/// the weight rows of the hot indices, its gradient adds dy_i to them, and ‖x_i‖² is the number of hot indices.
/// </para>
/// </summary>
internal sealed class DpTvaeMlp
{
    private readonly Linear[] _layers;
    private readonly Matrix?[] _inputs;          // the input of each layer in the last forward (null for a one-hot first layer)
    private readonly Matrix[] _activations;      // ReLU outputs (the inputs of layers 1..L−1)
    private readonly Matrix[] _outputGrads;      // ∂loss/∂(output of layer k), per example
    private readonly Matrix _firstInputGrad;
    private readonly Matrix _oneHotOutput;       // the first layer's output when it reads hot indices
    private int[] _hot = [];
    private int _hotPerRow;

    /// <param name="sizes">Input width, hidden sizes..., output width.</param>
    /// <param name="oneHotInput">The first layer reads hot indices (see <see cref="ForwardOneHot"/>).</param>
    /// <param name="seed">Layer k is initialised from stream k of this seed.</param>
    public DpTvaeMlp(IReadOnlyList<int> sizes, bool oneHotInput, ulong seed)
    {
        int count = sizes.Count - 1;
        _layers = Enumerable.Range(0, count).Select(k => new Linear(sizes[k], sizes[k + 1], SeededRandom.For(seed, (ulong)k))).ToArray();
        OneHotInput = oneHotInput;
        _inputs = new Matrix?[count];
        _activations = Enumerable.Range(0, count).Select(k => new Matrix(0, sizes[k + 1])).ToArray();
        _outputGrads = Enumerable.Range(0, count).Select(k => new Matrix(0, sizes[k + 1])).ToArray();
        _firstInputGrad = new Matrix(0, sizes[0]);
        _oneHotOutput = new Matrix(0, sizes[1]);
    }

    public bool OneHotInput { get; }
    public IReadOnlyList<Linear> Layers => _layers;
    public IEnumerable<Parameter> Parameters() => _layers.SelectMany(l => new[] { l.Weight, l.Bias });

    /// <summary>The stack as a <see cref="Sequential"/> (Linear, ReLU, …, Linear) sharing these parameters: the layout TVAE's networks are saved in.</summary>
    public Sequential AsSequential() =>
        new([.. _layers.SelectMany((l, k) => k < _layers.Length - 1 ? new Layer[] { l, new ReLU() } : [l])]);

    public void UseRunner(ParallelRunner? runner)
    {
        foreach (var l in _layers) l.Runner = runner;
    }

    /// <summary>Forward pass over dense rows; returns the last layer's output (owned by it).</summary>
    public Matrix Forward(Matrix x)
    {
        if (OneHotInput) throw new InvalidOperationException("This network reads hot indices.");
        _inputs[0] = x;
        return ForwardFrom(0, _layers[0].Forward(x, training: true));
    }

    /// <summary>
    /// Forward pass over one-hot rows: row i is hot at <paramref name="hot"/>[i·perRow .. (i+1)·perRow) (distinct indices).
    /// The array is kept until the backward pass.
    /// </summary>
    public Matrix ForwardOneHot(int[] hot, int perRow, int rows)
    {
        if (!OneHotInput) throw new InvalidOperationException("This network reads dense rows.");
        _hot = hot; _hotPerRow = perRow;
        var first = _layers[0];
        var y = _oneHotOutput;
        y.Reshape(rows, first.Outputs);
        var bias = first.Bias.Value.AsSpan();
        for (int i = 0; i < rows; i++)
        {
            var row = y.Row(i);
            bias.CopyTo(row);
            for (int c = 0; c < perRow; c++) TensorPrimitives.Add(row, first.Weight.Value.Row(hot[i * perRow + c]), row);
        }
        return ForwardFrom(0, y);
    }

    private Matrix ForwardFrom(int layer, Matrix y)
    {
        for (int k = layer + 1; k < _layers.Length; k++)
        {
            var a = _activations[k - 1];
            a.Reshape(y.Rows, y.Cols);
            TensorPrimitives.Max(y.AsSpan(), 0f, a.AsSpan());      // ReLU
            _inputs[k] = a;
            y = _layers[k].Forward(a, training: true);
        }
        return y;
    }

    /// <summary>
    /// From ∂loss/∂output (per example, unclipped), every layer's output gradient; returns ∂loss/∂input when
    /// <paramref name="inputGradient"/> (null otherwise). Parameter gradients are not touched.
    /// </summary>
    public Matrix? BackpropagateInputs(Matrix outputGradient, bool inputGradient)
    {
        int last = _layers.Length - 1;
        _outputGrads[last].CopyFrom(outputGradient);
        for (int k = last; k >= 1; k--)
        {
            var d = _outputGrads[k - 1];
            d.Reshape(outputGradient.Rows, _layers[k].Inputs);
            _layers[k].BackwardInput(_outputGrads[k], d);
            // ReLU: the gradient passes where the unit was active (its output, layer k's input, is positive).
            var a = _inputs[k]!.AsSpan();
            var ds = d.AsSpan();
            for (int j = 0; j < ds.Length; j++) if (a[j] <= 0) ds[j] = 0;
        }
        if (!inputGradient) return null;
        if (OneHotInput) throw new InvalidOperationException("No input gradient for one-hot inputs.");
        _firstInputGrad.Reshape(outputGradient.Rows, _layers[0].Inputs);
        _layers[0].BackwardInput(_outputGrads[0], _firstInputGrad);
        return _firstInputGrad;
    }

    /// <summary>Adds each example's squared gradient norm over this network's parameters into <paramref name="squaredNorms"/>.</summary>
    public void AddSquaredNorms(Span<double> squaredNorms)
    {
        for (int k = 0; k < _layers.Length; k++)
        {
            var dy = _outputGrads[k];
            for (int i = 0; i < dy.Rows; i++)
            {
                double inputNorm = k == 0 && OneHotInput ? _hotPerRow : Sum2(_inputs[k]!.Row(i));
                squaredNorms[i] += (inputNorm + 1) * Sum2(dy.Row(i));   // weight x_i ⊗ dy_i, bias dy_i
            }
        }
    }

    private static double Sum2(ReadOnlySpan<float> v) => TensorPrimitives.Dot(v, v);

    /// <summary>
    /// Writes Σ_i scale_i·g_i into every parameter's gradient (overwriting it), g_i the example's gradient: each
    /// layer's output gradients are scaled per row, then summed through the usual batched products.
    /// </summary>
    public void AccumulateClipped(ReadOnlySpan<float> scale, ParallelRunner? runner)
    {
        for (int k = 0; k < _layers.Length; k++)
        {
            var dy = _outputGrads[k];
            for (int i = 0; i < dy.Rows; i++) TensorPrimitives.Multiply(dy.Row(i), scale[i], dy.Row(i));
            var layer = _layers[k];
            var db = layer.Bias.Grad.AsSpan();
            db.Clear();
            for (int i = 0; i < dy.Rows; i++) TensorPrimitives.Add(db, dy.Row(i), db);
            if (k == 0 && OneHotInput)
            {
                layer.Weight.Grad.Clear();
                for (int i = 0; i < dy.Rows; i++)
                    for (int c = 0; c < _hotPerRow; c++)
                    {
                        var g = layer.Weight.Grad.Row(_hot[i * _hotPerRow + c]);
                        TensorPrimitives.Add(g, dy.Row(i), g);
                    }
            }
            else if (dy.Rows == 0) layer.Weight.Grad.Clear();
            else MatMul.MultiplyTransposedA(_inputs[k]!, dy, layer.Weight.Grad, runner);
        }
    }
}
