using TabTwin.Tables;

namespace TabTwin.Evaluation.Quality;

/// <summary>Whether a metric is better high or low.</summary>
public enum Goal { Maximize, Minimize }

/// <summary>A metric declares its name, goal and range; <see cref="MetricScale.Normalize"/> maps any metric onto [0, 1] (1 = best).</summary>
public interface IMetric
{
    string Name { get; }
    Goal Goal { get; }
    double MinValue { get; }
    double MaxValue { get; }
}

/// <summary>Compares one real column with its synthetic counterpart. Pure: inputs are never changed.</summary>
public interface IColumnMetric : IMetric
{
    double Compute(Column real, Column synthetic);
}

/// <summary>Compares the relationship of two real columns with that of the same two synthetic columns.</summary>
public interface IColumnPairMetric : IMetric
{
    double Compute(Column realA, Column realB, Column syntheticA, Column syntheticB);
}

public static class MetricScale
{
    /// <summary>Maps a raw value onto [0, 1] with 1 the best possible, using the metric's declared range and goal.</summary>
    public static double Normalize(IMetric metric, double value)
    {
        if (double.IsNaN(value)) return double.NaN;
        double span = metric.MaxValue - metric.MinValue;
        double scaled = double.IsFinite(span) && span > 0 ? (value - metric.MinValue) / span : value;
        return metric.Goal == Goal.Maximize ? scaled : 1 - scaled;
    }
}

/// <summary>A metric could not be computed for this input (e.g. a constant column has no correlation).</summary>
public sealed class MetricUndefinedException(string message) : Exception(message);
