namespace TabTwin.Synthesizers.NeuralData;

/// <summary>The output head a network uses for a span of the transformed row.</summary>
internal enum SpanActivation
{
    /// <summary>One value in (−1, 1): the normalised offset α of a continuous value within its mode.</summary>
    Tanh,
    /// <summary>A one-hot group: a probability vector (softmax / Gumbel-softmax) trained with cross-entropy.</summary>
    Softmax,
}

/// <summary>What a span of the transformed row holds.</summary>
internal enum SpanRole
{
    /// <summary>α = (x − μ_k) / (4 σ_k) of a continuous column (0 when the value is missing).</summary>
    Alpha,
    /// <summary>One-hot of the mode k of a continuous column (plus a last "elsewhere" slot for rows whose value is a point mass or missing).</summary>
    Mode,
    /// <summary>
    /// A choice group: one-hot of a discrete column's code (plus a last "missing" slot if the column had missing
    /// values), or of a continuous column's value kind [regular, point masses…, missing].
    /// </summary>
    Category,
}

/// <summary>
/// A contiguous group of columns in the transformed matrix: where it starts, how wide it is, the activation
/// its output head uses, which encoded column it belongs to (index into the <see cref="Encoding.EncodedTable"/>)
/// and what it holds. Only <see cref="SpanRole.Category"/> spans take part in CTGAN's conditional vector.
/// </summary>
internal readonly record struct OutputSpan(int Start, int Width, SpanActivation Activation, int Column, SpanRole Role)
{
    public int End => Start + Width;
}
