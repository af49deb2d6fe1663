using System.Text.Json.Serialization;

namespace TabTwin.Distributions;

/// <summary>A family of one-dimensional distributions for a continuous column's marginal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MarginalFamily>))]
public enum MarginalFamily
{
    /// <summary>Fit every family below and keep the closest in Kolmogorov–Smirnov distance (parametric preferred within a tolerance).</summary>
    [JsonStringEnumMemberName("best_fit")] BestFit,
    [JsonStringEnumMemberName("normal")] Normal,
    /// <summary>Normal truncated to the observed range.</summary>
    [JsonStringEnumMemberName("truncated_normal")] TruncatedNormal,
    /// <summary>Log-normal; shifted below the minimum when data are not all positive.</summary>
    [JsonStringEnumMemberName("log_normal")] LogNormal,
    /// <summary>Gamma; shifted like the log-normal.</summary>
    [JsonStringEnumMemberName("gamma")] Gamma,
    /// <summary>Beta on the observed range.</summary>
    [JsonStringEnumMemberName("beta")] Beta,
    /// <summary>Uniform on the observed range.</summary>
    [JsonStringEnumMemberName("uniform")] Uniform,
    /// <summary>Smoothed empirical quantile function with point masses for frequent values.</summary>
    [JsonStringEnumMemberName("empirical")] Empirical,
}
