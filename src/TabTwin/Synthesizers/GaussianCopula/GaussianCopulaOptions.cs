using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using TabTwin.Distributions;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>How categories are laid out on [0, 1] before the normal transform.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CategoryOrdering>))]
public enum CategoryOrdering
{
    /// <summary>Most frequent first (the classic frequency encoding).</summary>
    [JsonStringEnumMemberName("frequency")] Frequency,
    /// <summary>
    /// By the mean score of each category's rows on the leading factor of the normal scores, so categories
    /// that go together with similar values elsewhere are neighbours; this lets one Gaussian dimension carry
    /// much more of a categorical column's association with the others.
    /// </summary>
    [JsonStringEnumMemberName("latent_factor")] LatentFactor,
}

/// <summary>
/// Hyperparameters of <see cref="GaussianCopulaSynthesizer"/>. Full-word names; a null value means "decided from the data".
/// </summary>
public sealed record GaussianCopulaOptions
{
    /// <summary>Marginal family for continuous columns not named in <see cref="MarginalByColumn"/>.</summary>
    public MarginalFamily DefaultMarginal { get; init; } = MarginalFamily.BestFit;

    /// <summary>Per-column family overrides. A family that cannot describe a column (e.g. constant data) falls back to empirical.</summary>
    public ImmutableDictionary<string, MarginalFamily> MarginalByColumn { get; init; } = ImmutableDictionary<string, MarginalFamily>.Empty;

    /// <summary>
    /// Best-fit keeps the best parametric family when its KS statistic is at most this much above the empirical
    /// distribution's. Range [0, 1]; null = 0.01. 0 = always empirical unless a family is exactly as good; 1 = always parametric.
    /// </summary>
    public double? ParametricTolerance { get; init; }

    /// <summary>
    /// A value is a point mass of the empirical marginal when at least this share of rows (and at least 5 rows) hold it.
    /// Range (0, 1]; null = 0.001.
    /// </summary>
    public double? PointMassFraction { get; init; }

    /// <summary>Maximum knots of the empirical quantile function's continuous part. Range [2, 100000]; null = 1024.</summary>
    public int? MaximumKnots { get; init; }

    /// <summary>Category layout on [0, 1]. Default: <see cref="CategoryOrdering.LatentFactor"/>.</summary>
    public CategoryOrdering CategoryOrdering { get; init; } = CategoryOrdering.LatentFactor;

    /// <summary>Shrinkage of the correlation matrix towards the identity. Range [0, 1); null = 0.001.</summary>
    public double? Shrinkage { get; init; }

    /// <summary>How columns are encoded and decoded (rare categories, range clipping, text); shared with other synthesizers.</summary>
    public TabTwin.Encoding.EncodingOptions Encoding { get; init; } = new();

    internal const double DefaultParametricTolerance = 0.01;
    internal const double DefaultPointMassFraction = 0.001;
    internal const int DefaultMaximumKnots = 1024;
    internal const double DefaultShrinkage = 0.001;

    /// <summary>The settings the fitter uses, with every "auto" value decided.</summary>
    internal CopulaFitSettings ToFitSettings() => new(
        new Marginals.MarginalFitSettings(
            ParametricTolerance ?? DefaultParametricTolerance,
            PointMassFraction ?? DefaultPointMassFraction,
            MaximumKnots ?? DefaultMaximumKnots),
        column => MarginalByColumn.TryGetValue(column, out var family) ? family : DefaultMarginal,
        CategoryOrdering,
        Shrinkage ?? DefaultShrinkage);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first out-of-range option.</summary>
    public void Validate()
    {
        if (ParametricTolerance is { } t && !(t >= 0 && t <= 1))
            throw new ArgumentException($"ParametricTolerance must be in [0, 1]; got {t}.");
        if (PointMassFraction is { } f && !(f > 0 && f <= 1))
            throw new ArgumentException($"PointMassFraction must be in (0, 1]; got {f}.");
        if (MaximumKnots is { } k && k is < 2 or > 100_000)
            throw new ArgumentException($"MaximumKnots must be in [2, 100000]; got {k}.");
        if (Shrinkage is { } s && !(s >= 0 && s < 1))
            throw new ArgumentException($"Shrinkage must be in [0, 1); got {s}.");
        ArgumentNullException.ThrowIfNull(Encoding, nameof(Encoding));
        ArgumentNullException.ThrowIfNull(MarginalByColumn, nameof(MarginalByColumn));
        if (!Enum.IsDefined(CategoryOrdering)) throw new ArgumentException($"CategoryOrdering {CategoryOrdering} is not a known ordering.");
        if (!Enum.IsDefined(DefaultMarginal)) throw new ArgumentException($"DefaultMarginal {DefaultMarginal} is not a known family.");
        foreach (var (column, family) in MarginalByColumn)
            if (!Enum.IsDefined(family)) throw new ArgumentException($"MarginalByColumn['{column}'] = {family} is not a known family.");
    }

    /// <summary>Options from JSON (null/undefined = defaults), camelCase as in <see cref="SynthesizerJson.Options"/>.</summary>
    public static GaussianCopulaOptions FromJson(JsonElement? json) =>
        SynthesizerJson.ReadOptions<GaussianCopulaOptions>(GaussianCopulaSynthesizer.RegistryName, json, o => o.Validate());
}
