namespace TabTwin.Synthesizers.Cart;

/// <summary>How a streaming fit reads: rows for the encoding's reservoir, and the memory its histograms may take per pass.</summary>
public sealed record StreamingFitOptions
{
    /// <summary>Rows sampled (uniformly, seeded) to detect the schema and fit the encoding on; the trees see every row.</summary>
    public int ReservoirRows { get; init; } = 200_000;

    /// <summary>Memory the open nodes' histograms may take in one pass; more passes when a level needs more.</summary>
    public long HistogramBytes { get; init; } = 256L << 20;

    /// <summary>
    /// Whether the binned rows are written once to a temporary file that the tree passes read (2 bytes per cell, 10 per
    /// continuous value; deleted when the fit ends) instead of reading and encoding the source once per tree level.
    /// </summary>
    public bool Spill { get; init; } = true;

    /// <summary>Where the spill file goes (null = the system's temporary folder).</summary>
    public string? SpillFolder { get; init; }

    /// <summary>
    /// Rows of consecutive partitions (Parquet row groups) one unit of work reads: a cluster hands units to its workers, and
    /// the quantile sketches of units are merged in unit order, so a model depends on this size (not on the machines): a
    /// fit on one machine and on a cluster give the same model when they use the same value.
    /// </summary>
    public long UnitRows { get; init; } = 1_000_000;
}
