using TabTwin.Encoding;
using TabTwin.Synthesizers.GaussianCopula.Marginals;
using TabTwin.Distributions;

namespace TabTwin.Synthesizers.GaussianCopula;

/// <summary>
/// How one encoded column maps onto copula dimensions. A continuous column has a value dimension (its
/// marginal) and, when some rows are missing, a binary "missing" dimension, so missingness is correlated
/// with the other columns like any variable. A discrete column has one dimension whose frequency intervals
/// include missing as an extra code (<see cref="Cardinality"/>). A column with no present value has no dimension.
/// </summary>
internal sealed record CopulaColumn
{
    public required string Name { get; init; }
    public required EncodedKind Kind { get; init; }
    /// <summary>Discrete: the number of codes (the missing code is this value). Continuous: 0.</summary>
    public int Cardinality { get; init; }
    /// <summary>Share of missing rows in training.</summary>
    public double MissingFraction { get; init; }

    public int ValueDimension { get; init; } = -1;
    public ContinuousMarginal? Continuous { get; init; }
    public CategoricalMarginal? Discrete { get; init; }

    public int MissingDimension { get; init; } = -1;
    /// <summary>Codes 0 = present, 1 = missing.</summary>
    public CategoricalMarginal? MissingFlag { get; init; }

    public bool AlwaysMissing => ValueDimension < 0;

    /// <summary>Public summary of this column's marginal.</summary>
    public ColumnMarginal Summary() => new(
        Name,
        Kind,
        Kind == EncodedKind.Continuous ? Continuous?.Family : null,
        Kind == EncodedKind.Continuous ? Continuous?.KsStatistic : null,
        Kind == EncodedKind.Discrete ? Discrete?.Order.Count(c => c < Cardinality) ?? 0 : null,
        MissingFraction);
}

/// <summary>
/// What the copula learned about one column's distribution: for continuous columns the chosen family and
/// its Kolmogorov–Smirnov distance to the training data; for discrete ones the number of categories seen.
/// </summary>
/// <param name="Column">Column name.</param>
/// <param name="Kind">Continuous (numbers, datetimes) or discrete (categories, booleans, frequent text).</param>
/// <param name="Family">Continuous: the marginal family used (null when the column was entirely missing).</param>
/// <param name="KsStatistic">Continuous: sup |ECDF − F| on the training values (0 = perfect).</param>
/// <param name="CategoryCount">Discrete: categories seen in training.</param>
/// <param name="MissingFraction">Share of missing rows in training.</param>
public sealed record ColumnMarginal(string Column, EncodedKind Kind, MarginalFamily? Family, double? KsStatistic,
    int? CategoryCount, double MissingFraction)
{
    public override string ToString() => Kind == EncodedKind.Continuous
        ? $"{Column}: {(Family is { } f ? Schema.SchemaJson.EnumName(f) : "all missing")}" +
          (KsStatistic is { } ks ? $" (KS {ks:0.0000})" : "") + (MissingFraction > 0 ? $", {MissingFraction:P1} missing" : "")
        : $"{Column}: {CategoryCount} categories" + (MissingFraction > 0 ? $", {MissingFraction:P1} missing" : "");
}
