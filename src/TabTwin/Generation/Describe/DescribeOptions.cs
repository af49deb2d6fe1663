namespace TabTwin.Generation.Describe;

/// <summary>What happens to categories too rare to publish.</summary>
public enum RareCategoryHandling
{
    /// <summary>Pooled into one <see cref="DescribeOptions.OtherLabel"/> category (when the pool itself is large enough), else dropped.</summary>
    Other,
    /// <summary>Left out; the remaining weights are renormalised by the generator.</summary>
    Drop,
}

/// <summary>
/// Settings of <see cref="SpecDescriber"/>. The privacy rules are the point: every published number summarises at
/// least <see cref="MinimumCount"/> rows (histogram bins, categories, seasonality counts), extremes are cut at the
/// <see cref="ClipQuantile"/> quantiles, and no single record's value is written.
/// </summary>
public sealed record DescribeOptions
{
    /// <summary>Name of the table in the spec.</summary>
    public string TableName { get; init; } = "data";
    /// <summary>Rows the spec asks for; null = as many as the described table has.</summary>
    public long? Rows { get; init; }
    /// <summary>Seed written into the spec (null = none: the caller of generate chooses).</summary>
    public ulong? Seed { get; init; }
    /// <summary>The smallest count any published bin, category or seasonal weight may summarise (k; at least 10 is sensible).</summary>
    public int MinimumCount { get; init; } = 10;
    /// <summary>Categories rarer than this share of the present values are treated as rare even when their count reaches <see cref="MinimumCount"/>.</summary>
    public double MinimumShare { get; init; } = 0.001;
    public RareCategoryHandling RareCategories { get; init; } = RareCategoryHandling.Other;
    public string OtherLabel { get; init; } = "(other)";
    /// <summary>Numbers and datetimes are described between these quantiles (and their bounds set there): the extremes, the most identifying values, never appear.</summary>
    public double ClipQuantile { get; init; } = 0.01;
    /// <summary>Upper limit on histogram bins (point masses such as a frequent 0 get a bin of their own within it).</summary>
    public int MaximumBins { get; init; } = 24;
    /// <summary>A parametric family is used when its Kolmogorov–Smirnov distance is within this of the histogram's (it is smaller and smoother).</summary>
    public double ParametricTolerance { get; init; } = 0.02;
    /// <summary>Write the Spearman rank-correlation matrix of the numeric, datetime and boolean columns.</summary>
    public bool Correlations { get; init; } = true;

    public void Validate()
    {
        if (MinimumCount < 1) throw new ArgumentException($"MinimumCount must be at least 1 (got {MinimumCount}).");
        if (MinimumShare is < 0 or >= 1) throw new ArgumentException($"MinimumShare must be in [0, 1) (got {MinimumShare}).");
        if (ClipQuantile is < 0 or >= 0.5) throw new ArgumentException($"ClipQuantile must be in [0, 0.5) (got {ClipQuantile}).");
        if (MaximumBins < 2) throw new ArgumentException($"MaximumBins must be at least 2 (got {MaximumBins}).");
        if (string.IsNullOrWhiteSpace(TableName)) throw new ArgumentException("TableName must not be empty.");
        if (Rows is < 0) throw new ArgumentException("Rows must not be negative.");
    }
}
