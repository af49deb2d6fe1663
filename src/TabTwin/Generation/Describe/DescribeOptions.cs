namespace TabTwin.Generation.Describe;

/// <summary>What happens to categories too rare to publish.</summary>
public enum RareCategoryHandling
{
    /// <summary>Pooled into one <see cref="DescribeOptions.OtherLabel"/> category (when the pool itself is large enough), else dropped.</summary>
    Other,
    /// <summary>Left out; the remaining weights are renormalised by the generator.</summary>
    Drop,
}

/// <summary>Which associations between columns a described spec keeps beyond the rank-correlation matrix.</summary>
public enum AssociationHandling
{
    /// <summary>None: categorical columns are independent of each other and of the numbers.</summary>
    None,
    /// <summary>
    /// The strongest pairwise dependencies, as a forest: a categorical column <c>dependsOn</c> one other categorical
    /// (per-category weights), a number on one categorical (per-category marginals).
    /// </summary>
    Pairs,
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
    /// <summary>Write strongly associated column pairs as conditional distributions (see <see cref="AssociationHandling"/>).</summary>
    public AssociationHandling Associations { get; init; } = AssociationHandling.Pairs;
    /// <summary>The smallest association (Cramér's V between categories, rank η between a category and a number) written as a dependency.</summary>
    public double AssociationThreshold { get; init; } = 0.2;
    /// <summary>Upper limit on the cases of one conditional column (the most frequent parent categories; the rest share the default), so the spec stays readable.</summary>
    public int MaximumCases { get; init; } = 12;
    /// <summary>The fewest rows a parent category needs to get a case of its own; null = 20 × <see cref="MinimumCount"/>.</summary>
    public int? MinimumCaseRows { get; init; }

    internal int CaseRows => MinimumCaseRows ?? 20 * MinimumCount;

    public void Validate()
    {
        if (MinimumCount < 1) throw new ArgumentException($"MinimumCount must be at least 1 (got {MinimumCount}).");
        if (MinimumShare is < 0 or >= 1) throw new ArgumentException($"MinimumShare must be in [0, 1) (got {MinimumShare}).");
        if (ClipQuantile is < 0 or >= 0.5) throw new ArgumentException($"ClipQuantile must be in [0, 0.5) (got {ClipQuantile}).");
        if (MaximumBins < 2) throw new ArgumentException($"MaximumBins must be at least 2 (got {MaximumBins}).");
        if (string.IsNullOrWhiteSpace(TableName)) throw new ArgumentException("TableName must not be empty.");
        if (AssociationThreshold is <= 0 or > 1) throw new ArgumentException($"AssociationThreshold must be in (0, 1] (got {AssociationThreshold}).");
        if (MaximumCases < 1) throw new ArgumentException($"MaximumCases must be at least 1 (got {MaximumCases}).");
        if (MinimumCaseRows is { } m && m < MinimumCount) throw new ArgumentException($"MinimumCaseRows must be at least MinimumCount ({MinimumCount}), got {m}.");
        if (Rows is < 0) throw new ArgumentException("Rows must not be negative.");
    }
}
