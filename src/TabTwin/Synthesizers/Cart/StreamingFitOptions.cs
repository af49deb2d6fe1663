namespace TabTwin.Synthesizers.Cart;

/// <summary>How a streaming fit reads: rows for the encoding's reservoir, and the memory its histograms may take per pass.</summary>
public sealed record StreamingFitOptions
{
    /// <summary>Rows sampled (uniformly, seeded) to detect the schema and fit the encoding on; the trees see every row.</summary>
    public int ReservoirRows { get; init; } = 200_000;

    /// <summary>Memory the open nodes' histograms may take in one pass; more passes when a level needs more.</summary>
    public long HistogramBytes { get; init; } = 256L << 20;
}
