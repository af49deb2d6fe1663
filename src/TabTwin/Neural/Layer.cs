namespace TabTwin.Neural;

/// <summary>
/// A differentiable layer with hand-derived forward and backward passes. <see cref="Forward"/> keeps what the
/// backward pass needs and returns a buffer owned by the layer (valid until the next forward);
/// <see cref="Backward"/> adds parameter gradients into <see cref="Parameter.Grad"/> and returns the gradient
/// with respect to the input (a buffer owned by the layer). Buffers are allocated on the first call and reused.
/// </summary>
internal abstract class Layer
{
    /// <summary>Where matrix products run (null = the calling thread).</summary>
    public ParallelRunner? Runner { get; set; }

    /// <summary>False skips computing the input gradient (the first layer of a network needs none).</summary>
    public bool NeedsInputGradient { get; set; } = true;

    /// <summary>
    /// False skips adding parameter gradients in <see cref="Backward"/>, for a pass that only needs the input
    /// gradient (the critic under the generator's loss, whose parameter gradients would be thrown away).
    /// Set it on a container with <see cref="Sequential.SetParameterGradients"/>.
    /// </summary>
    public bool NeedsParameterGradients { get; private set; } = true;

    internal virtual void SetParameterGradientsCore(bool needed) => NeedsParameterGradients = needed;

    public abstract Matrix Forward(Matrix input, bool training);
    public abstract Matrix Backward(Matrix outputGradient);

    /// <summary>Every tensor of the layer (trainable parameters and saved state) under local names.</summary>
    public virtual IEnumerable<NamedParameter> NamedParameters() => [];

    /// <summary>Trainable parameters only (what an optimiser updates).</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter).Where(p => p.Trainable);

    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    internal virtual void SetRunner(ParallelRunner? runner) => Runner = runner;
}
