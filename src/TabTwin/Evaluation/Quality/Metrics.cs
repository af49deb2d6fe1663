using TabTwin.Tables;

namespace TabTwin.Evaluation.Quality;

/// <summary>Whether a metric is better high, low, or at a target value (see <see cref="ITargetMetric"/>).</summary>
public enum Goal { Maximize, Minimize, Target }

/// <summary>A metric declares its name, goal and range; <see cref="MetricScale.Normalize"/> maps any metric onto [0, 1] (1 = best).</summary>
public interface IMetric
{
    string Name { get; }
    Goal Goal { get; }
    double MinValue { get; }
    double MaxValue { get; }
}

/// <summary>A metric whose best value lies inside its range (e.g. an AUC of 0.5: neither side can be told apart).</summary>
public interface ITargetMetric : IMetric
{
    double Target { get; }
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
        if (metric.Goal == Goal.Target)
        {
            // 1 at the target, falling linearly to 0 at the farther end of the range.
            double target = metric is ITargetMetric t ? t.Target : (metric.MinValue + metric.MaxValue) / 2;
            double reach = Math.Max(target - metric.MinValue, metric.MaxValue - target);
            return Math.Clamp(1 - Math.Abs(value - target) / reach, 0, 1);
        }
        double span = metric.MaxValue - metric.MinValue;
        double scaled = double.IsFinite(span) && span > 0 ? (value - metric.MinValue) / span : value;
        return metric.Goal == Goal.Maximize ? scaled : 1 - scaled;
    }
}

/// <summary>A metric could not be computed for this input (e.g. a constant column has no correlation).</summary>
public sealed class MetricUndefinedException(string message) : Exception(message);
