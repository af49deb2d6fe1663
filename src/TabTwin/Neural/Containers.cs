using TabTwin.Randomness;

namespace TabTwin.Neural;

/// <summary>Layers applied in order; parameter paths are "{index}.{name}" (as PyTorch's nn.Sequential).</summary>
internal sealed class Sequential : Layer
{
    public Sequential(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Layers = layers.ToArray();
    }

    public IReadOnlyList<Layer> Layers { get; }

    public override Matrix Forward(Matrix input, bool training)
    {
        var x = input;
        foreach (var layer in Layers) x = layer.Forward(x, training);
        return x;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        var d = outputGradient;
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            // Layers below the first that needs nothing are skipped entirely when the input gradient is not wanted.
            if (i == 0) Layers[0].NeedsInputGradient = NeedsInputGradient;
            d = Layers[i].Backward(d);
        }
        return d;
    }

    public override IEnumerable<NamedParameter> NamedParameters() =>
        Layers.SelectMany((layer, i) => layer.NamedParameters().Select(p => p with { Path = $"{i}.{p.Path}" }));

    internal override void SetRunner(ParallelRunner? runner)
    {
        Runner = runner;
        foreach (var layer in Layers) layer.SetRunner(runner);
    }

    /// <summary>Sets where every layer's matrix products run.</summary>
    public void UseRunner(ParallelRunner? runner) => SetRunner(runner);

    /// <summary>Turns parameter gradients on or off for every layer (see <see cref="Layer.NeedsParameterGradients"/>).</summary>
    public void SetParameterGradients(bool needed) => SetParameterGradientsCore(needed);

    internal override void SetParameterGradientsCore(bool needed)
    {
        base.SetParameterGradientsCore(needed);
        foreach (var layer in Layers) layer.SetParameterGradientsCore(needed);
    }
}

/// <summary>
/// CTGAN's generator block: h = ReLU(BN(Linear(x))), output = [h, x] (the input is concatenated after the
/// block's output, widening the representation by <see cref="Outputs"/> per block).
/// </summary>
internal sealed class Residual : Layer
{
    private readonly Linear _fc;
    private readonly BatchNorm1d _bn;
    private readonly ReLU _relu = new();
    private Matrix? _output, _inputGrad, _blockGrad;

    public Residual(int inputs, int outputs, SeededRandom random)
    {
        Inputs = inputs; Outputs = outputs;
        _fc = new Linear(inputs, outputs, random);
        _bn = new BatchNorm1d(outputs);
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public int Width => Inputs + Outputs;

    /// <summary>Mostly-zero input columns of the block's dense layer (see <see cref="Linear.SparseInputColumns"/>).</summary>
    public IndexRanges? SparseInputColumns { get => _fc.SparseInputColumns; set => _fc.SparseInputColumns = value; }

    /// <summary>
    /// Only the first this-many input-gradient columns are computed (see <see cref="Linear.InputGradientColumns"/>): the
    /// block's output repeats its input after its own columns, so a prefix of the input is what later blocks add to.
    /// </summary>
    public int? InputGradientColumns
    {
        get => _fc.InputGradientColumns?.Limit;
        set => _fc.InputGradientColumns = value is { } w ? new IndexRanges([(0, w)]) : null;
    }

    public override Matrix Forward(Matrix input, bool training)
    {
        var h = _relu.Forward(_bn.Forward(_fc.Forward(input, training), training), training);
        var y = Matrix.Ensure(ref _output, input.Rows, Width);
        for (int i = 0; i < input.Rows; i++)
        {
            h.Row(i).CopyTo(y.Row(i));
            input.Row(i).CopyTo(y.Row(i)[Outputs..]);
        }
        return y;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        int n = outputGradient.Rows;
        var dh = Matrix.Ensure(ref _blockGrad, n, Outputs);
        for (int i = 0; i < n; i++) outputGradient.Row(i)[..Outputs].CopyTo(dh.Row(i));
        _fc.NeedsInputGradient = NeedsInputGradient;
        var dFc = _fc.Backward(_bn.Backward(_relu.Backward(dh)));
        var dx = Matrix.Ensure(ref _inputGrad, n, Inputs);
        if (!NeedsInputGradient) return dx;
        int width = InputGradientColumns ?? Inputs;
        for (int i = 0; i < n; i++)
            System.Numerics.Tensors.TensorPrimitives.Add(dFc.Row(i)[..width], outputGradient.Row(i).Slice(Outputs, width), dx.Row(i)[..width]);
        return dx;
    }

    public override IEnumerable<NamedParameter> NamedParameters() =>
        _fc.NamedParameters().Select(p => p with { Path = "fc." + p.Path })
            .Concat(_bn.NamedParameters().Select(p => p with { Path = "bn." + p.Path }));

    internal override void SetRunner(ParallelRunner? runner)
    {
        Runner = runner;
        _fc.SetRunner(runner);
    }

    internal override void SetParameterGradientsCore(bool needed)
    {
        base.SetParameterGradientsCore(needed);
        _fc.SetParameterGradientsCore(needed);
        _bn.SetParameterGradientsCore(needed);
    }
}
