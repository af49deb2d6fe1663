using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace TabTwin.Neural;

/// <summary>max(x, 0).</summary>
internal sealed class ReLU : Layer
{
    private Matrix? _output, _inputGrad;

    public override Matrix Forward(Matrix input, bool training)
    {
        var y = Matrix.Ensure(ref _output, input.Rows, input.Cols);
        TensorPrimitives.Max(input.AsSpan(), 0f, y.AsSpan());
        return y;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        var dx = Matrix.Ensure(ref _inputGrad, outputGradient.Rows, outputGradient.Cols);
        Elementwise.PassWherePositive(_output!.AsSpan(), outputGradient.AsSpan(), dx.AsSpan(), 0f);
        return dx;
    }

    /// <summary>The output of the last forward pass (positive where the unit was active).</summary>
    public Matrix? LastOutput => _output;
}

/// <summary>x for x &gt; 0, slope·x otherwise (CTGAN's critic uses slope 0.2).</summary>
internal sealed class LeakyReLU(float slope = 0.01f) : Layer
{
    private Matrix? _input, _output, _inputGrad;

    public float Slope { get; } = slope;

    public override Matrix Forward(Matrix input, bool training)
    {
        _input = input;
        var y = Matrix.Ensure(ref _output, input.Rows, input.Cols);
        Elementwise.PassWherePositive(input.AsSpan(), input.AsSpan(), y.AsSpan(), Slope);
        return y;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        var dx = Matrix.Ensure(ref _inputGrad, outputGradient.Rows, outputGradient.Cols);
        Elementwise.PassWherePositive(_input!.AsSpan(), outputGradient.AsSpan(), dx.AsSpan(), Slope);
        return dx;
    }

    /// <summary>The input of the last forward pass (its sign pattern is the layer's local linear map).</summary>
    public Matrix? LastInput => _input;
}

/// <summary>tanh(x).</summary>
internal sealed class Tanh : Layer
{
    private Matrix? _output, _inputGrad;

    public override Matrix Forward(Matrix input, bool training)
    {
        var y = Matrix.Ensure(ref _output, input.Rows, input.Cols);
        TensorPrimitives.Tanh(input.AsSpan(), y.AsSpan());
        return y;
    }

    public override Matrix Backward(Matrix outputGradient)
    {
        var dx = Matrix.Ensure(ref _inputGrad, outputGradient.Rows, outputGradient.Cols);
        var y = _output!.AsSpan();
        var dy = outputGradient.AsSpan();
        var d = dx.AsSpan();
        for (int i = 0; i < d.Length; i++) d[i] = dy[i] * (1 - y[i] * y[i]);
        return dx;
    }
}

/// <summary>Vectorised element-wise helpers shared by the layers.</summary>
internal static class Elementwise
{
    /// <summary>result[i] = value[i] where gate[i] &gt; 0, otherwise slope·value[i] (ReLU/LeakyReLU forward and backward).</summary>
    public static void PassWherePositive(ReadOnlySpan<float> gate, ReadOnlySpan<float> value, Span<float> result, float slope)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(slope);
            for (; i + 8 <= result.Length; i += 8)
            {
                var g = Vector256.Create(gate.Slice(i, 8));
                var v = Vector256.Create(value.Slice(i, 8));
                Vector256.ConditionalSelect(Vector256.GreaterThan(g, Vector256<float>.Zero), v, v * s).CopyTo(result.Slice(i, 8));
            }
        }
        for (; i < result.Length; i++) result[i] = gate[i] > 0 ? value[i] : slope * value[i];
    }
}
