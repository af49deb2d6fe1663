namespace TabTwin.Neural;

/// <summary>
/// A named tensor of a network: its value and (for trainable parameters) its gradient, both allocated once.
/// Gradients accumulate across backward passes until <see cref="ZeroGrad"/>, so several losses (e.g. a WGAN
/// critic loss plus a gradient penalty) can add into the same buffers.
/// </summary>
internal sealed class Parameter
{
    public Parameter(string name, int rows, int cols, bool trainable = true)
    {
        Name = name;
        Value = new Matrix(rows, cols);
        Grad = new Matrix(trainable ? rows : 0, trainable ? cols : 0);
        Trainable = trainable;
    }

    /// <summary>Local name (e.g. <c>weight</c>); containers prefix it with their path (<c>2.fc.weight</c>).</summary>
    public string Name { get; }
    public Matrix Value { get; }
    /// <summary>The accumulated gradient (empty for non-trainable state such as BatchNorm running statistics).</summary>
    public Matrix Grad { get; }
    /// <summary>False for state that is saved but not optimised (running mean/variance).</summary>
    public bool Trainable { get; }
    public int Length => Value.Length;

    /// <summary>
    /// Counts changes to <see cref="Value"/> made through <see cref="MarkChanged"/> (the optimiser's steps, loading),
    /// so layers can keep values derived from it — a weight's transpose — until it changes. Code that writes
    /// <see cref="Value"/> directly must call <see cref="MarkChanged"/>.
    /// </summary>
    public int Version { get; private set; }

    public void MarkChanged() => Version++;

    public void ZeroGrad() => Grad.Clear();
}

/// <summary>A parameter under its full path within a network (unique, usable as a model-bundle entry name).</summary>
internal readonly record struct NamedParameter(string Path, Parameter Parameter);
