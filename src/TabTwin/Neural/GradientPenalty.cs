using System.Numerics.Tensors;

namespace TabTwin.Neural;

/// <summary>
/// WGAN-GP's penalty λ·mean_r (‖∇ₓD(x_r)‖₂ − 1)² and its gradient with respect to the critic's weights (the
/// "double backward"), for a critic made of <see cref="Linear"/> layers separated by piecewise-linear gates
/// (<see cref="LeakyReLU"/>, <see cref="ReLU"/>, <see cref="Dropout"/>) and ending in a Linear with one output.
/// <para>
/// Why this is exact: between kinks such a critic is linear in x, so with C_l = (gate slopes ⊙ dropout mask) of
/// stage l (constants almost everywhere, as in PyTorch's double backward), the input gradient is the linear chain
/// δ_{K−1} = w_K, u_l = δ_l ⊙ C_l, δ_{l−1} = u_l·W_lᵀ, ∇ₓD = δ_0. Backpropagating Γ_0 = ∂P/∂δ_0 through that chain
/// gives ∂P/∂W_l = Γ_{l−1}ᵀ·u_l, Γ_l = (Γ_{l−1}·W_l) ⊙ C_l and ∂P/∂w_K = Σ_r Γ_{K−1}[r]. Biases get no penalty
/// gradient (they only move kinks).
/// </para>
/// Buffers are allocated once per instance; gradients are added into the weights' <see cref="Parameter.Grad"/>.
/// </summary>
internal sealed class GradientPenalty
{
    private readonly Sequential _critic;
    private readonly Linear[] _linears;
    private readonly List<Layer>[] _gates;
    private readonly Matrix?[] _u, _delta, _gamma, _gate;
    private Matrix? _norms;

    public GradientPenalty(Sequential critic)
    {
        _critic = critic ?? throw new ArgumentNullException(nameof(critic));
        var linears = new List<Linear>();
        var gates = new List<List<Layer>>();
        foreach (var layer in critic.Layers)
        {
            switch (layer)
            {
                case Linear l: linears.Add(l); gates.Add([]); break;
                case LeakyReLU or ReLU or Dropout when linears.Count > 0: gates[^1].Add(layer); break;
                default: throw new ArgumentException($"GradientPenalty supports Linear layers separated by LeakyReLU/ReLU/Dropout, starting with a Linear; found {layer.GetType().Name}.");
            }
        }
        if (linears.Count == 0 || linears[^1].Outputs != 1 || gates[^1].Count != 0)
            throw new ArgumentException("GradientPenalty needs a critic ending in a Linear layer with one output.");
        _linears = linears.ToArray();
        _gates = gates.ToArray();
        int k = _linears.Length;
        _u = new Matrix?[k]; _delta = new Matrix?[k]; _gamma = new Matrix?[k]; _gate = new Matrix?[k];
    }

    /// <summary>‖∇ₓD‖₂ per row of the last <see cref="Apply"/> (a view over a reused buffer).</summary>
    public ReadOnlySpan<float> LastGradientNorms => _norms is null ? default : _norms.AsSpan();

    /// <summary>
    /// Runs the critic forward on <paramref name="points"/> (training mode: fresh dropout masks, as PyTorch does),
    /// adds ∂P/∂W to every weight gradient and returns P = λ · mean over rows of (‖∇ₓD‖₂ − 1)².
    /// </summary>
    public double Apply(Matrix points, float lambda, bool training = true)
    {
        _critic.Forward(points, training);
        int n = points.Rows, k = _linears.Length;
        var runner = _critic.Runner;

        // Gate constants C_l of stages 1..K−1 (index l−1 here: stage of linear l).
        for (int l = 0; l < k - 1; l++)
        {
            var c = Matrix.Ensure(ref _gate[l], n, _linears[l].Outputs);
            c.AsSpan().Fill(1f);
            foreach (var g in _gates[l])
            {
                switch (g)
                {
                    case LeakyReLU lr: Elementwise.PassWherePositive(lr.LastInput!.AsSpan(), c.AsSpan(), c.AsSpan(), lr.Slope); break;
                    case ReLU r: Elementwise.PassWherePositive(r.LastOutput!.AsSpan(), c.AsSpan(), c.AsSpan(), 0f); break;
                    case Dropout d when d.LastMask is { } mask: TensorPrimitives.Multiply(c.AsSpan(), mask.AsSpan(), c.AsSpan()); break;
                }
            }
        }

        // Input-gradient chain. δ of the last stage is w_K in every row.
        var last = _linears[k - 1];
        var delta = Matrix.Ensure(ref _delta[k - 1], n, last.Inputs);
        for (int r = 0; r < n; r++) last.Weight.Value.AsSpan().CopyTo(delta.Row(r));
        for (int l = k - 2; l >= 0; l--)
        {
            var u = Matrix.Ensure(ref _u[l], n, _linears[l].Outputs);
            TensorPrimitives.Multiply(_delta[l + 1]!.AsSpan(), _gate[l]!.AsSpan(), u.AsSpan());
            _linears[l].BackwardInput(u, Matrix.Ensure(ref _delta[l], n, _linears[l].Inputs));
        }
        var g0 = _delta[0]!;

        // Penalty and Γ₀ = ∂P/∂∇ₓD.
        var norms = Matrix.Ensure(ref _norms, 1, n);
        var gamma = Matrix.Ensure(ref _gamma[0], n, _linears[0].Inputs);
        double penalty = 0;
        for (int r = 0; r < n; r++)
        {
            float norm = MathF.Sqrt(TensorPrimitives.Dot(g0.Row(r), g0.Row(r)));
            norms[0, r] = norm;
            penalty += (norm - 1.0) * (norm - 1.0);
            float coef = norm > 0 ? lambda / n * 2 * (norm - 1) / norm : 0f;
            TensorPrimitives.Multiply(g0.Row(r), coef, gamma.Row(r));
        }

        // Backward through the chain, forwards in layer order.
        for (int l = 0; l < k - 1; l++)
        {
            var u = _u[l]!;
            MatMul.MultiplyTransposedA(_gamma[l]!, u, _linears[l].Weight.Grad, runner, accumulate: true);
            var next = Matrix.Ensure(ref _gamma[l + 1], n, _linears[l].Outputs);
            MatMul.Multiply(_gamma[l]!, _linears[l].Weight.Value, next, runner);
            TensorPrimitives.Multiply(next.AsSpan(), _gate[l]!.AsSpan(), next.AsSpan());
        }
        // ∂P/∂w_K (stored in×1) = Γ_{K−1}ᵀ·1.
        var wGrad = last.Weight.Grad.AsSpan();
        var gk = _gamma[k - 1]!;
        for (int r = 0; r < n; r++) TensorPrimitives.Add(wGrad, gk.Row(r), wGrad);
        return lambda * penalty / n;
    }
}
