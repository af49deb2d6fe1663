using System.Text.Json.Serialization;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sequences;

/// <summary>How a numeric step column is learned from one step to the next.</summary>
public enum StepTransform
{
    /// <summary>The value itself, given the previous value among the history features (a stationary series: a reading, a quantity).</summary>
    Level,
    /// <summary>The change from the previous value (a persistent series that can be zero or negative).</summary>
    Difference,
    /// <summary>log(value / previous value): a persistent positive series such as a price, whose returns, not levels, carry the dynamics.</summary>
    LogReturn,
    /// <summary>log(value / anchor's value at the same step): a column that moves with another (a day's high with its open).</summary>
    RatioToAnchor,
}

/// <summary>The transform chosen for one numeric step column (and, for <see cref="StepTransform.RatioToAnchor"/>, its anchor).</summary>
public sealed record ColumnDynamics(
    [property: JsonPropertyName("column")] string Column,
    [property: JsonPropertyName("transform")] StepTransform Transform,
    [property: JsonPropertyName("anchor")] string? Anchor = null)
{
    /// <summary>
    /// Lag-1 autocorrelation of levels within entities (entity means removed) from which a series counts as persistent:
    /// a random walk (prices, cumulative counts) is near 1 at any length, a stationary series with memory (daily volume,
    /// temperature) lies well below it. Modelling a persistent series by its level draws each step from a leaf of
    /// similar previous levels, which turns small daily moves into jumps across the leaf's range.
    /// </summary>
    public const double PersistentAutocorrelation = 0.95;

    /// <summary>
    /// A persistent positive column moves with an anchor when the spread of log(column / anchor) is at most this share of
    /// the column's own within-entity spread of log levels: a day's high stays within a few percent of its open while the
    /// price wanders by tens of percent; two unrelated prices drift apart as much as each wanders.
    /// </summary>
    public const double AnchoredSpreadShare = 0.1;

    /// <summary>
    /// Chooses the transform of every numeric step column of <paramref name="table"/>: persistent positive columns are
    /// returns (or ratios to the first such column they move with), other persistent columns differences, the rest levels.
    /// </summary>
    public static IReadOnlyList<ColumnDynamics> Learn(Table table, SequenceLayout layout, TableSchema schema)
    {
        var result = new List<ColumnDynamics>();
        var anchors = new List<(string Name, double[] LogLevels)>();
        foreach (var name in layout.StepColumns)
        {
            if (schema.Find(name)?.Kind != ColumnKind.Numerical || table[name] is not NumericColumn column) continue;
            double rho = LagOneAutocorrelation(column, layout);
            if (!(rho >= PersistentAutocorrelation)) { result.Add(new(name, StepTransform.Level)); continue; }
            if (!AllPositive(column)) { result.Add(new(name, StepTransform.Difference)); continue; }
            var logs = new double[column.Length];
            for (int i = 0; i < logs.Length; i++) logs[i] = column.IsMissing(i) ? double.NaN : Math.Log(column[i]);
            string? anchor = anchors.FirstOrDefault(a => MovesWith(logs, a.LogLevels, layout)).Name;
            if (anchor is not null) result.Add(new(name, StepTransform.RatioToAnchor, anchor));
            else
            {
                result.Add(new(name, StepTransform.LogReturn));
                anchors.Add((name, logs));
            }
        }
        return result;
    }

    /// <summary>The learned value of step <paramref name="value"/> given the previous level and the anchor's level at the same step (NaN = missing).</summary>
    public double Forward(double value, double previous, double anchor) => Transform switch
    {
        StepTransform.Level => value,
        StepTransform.Difference => value - previous,
        StepTransform.LogReturn => Math.Log(value / previous),
        _ => Math.Log(value / anchor),
    };

    /// <summary>The level back from a learned value (NaN when what it is relative to is missing).</summary>
    public double Inverse(double learned, double previous, double anchor) => Transform switch
    {
        StepTransform.Level => learned,
        StepTransform.Difference => previous + learned,
        StepTransform.LogReturn => previous * Math.Exp(learned),
        _ => anchor * Math.Exp(learned),
    };

    /// <summary>Pooled within-entity lag-1 autocorrelation of <paramref name="column"/> (pairs of consecutive present steps; NaN when there are none).</summary>
    internal static double LagOneAutocorrelation(NumericColumn column, SequenceLayout layout)
    {
        double sxy = 0, sxx = 0, syy = 0;
        for (int e = 0; e < layout.EntityCount; e++)
        {
            var steps = layout.StepsOf(e);
            double sum = 0; int count = 0;
            foreach (int r in steps) if (!column.IsMissing(r)) { sum += column[r]; count++; }
            if (count < 2) continue;
            double mean = sum / count;
            for (int k = 1; k < steps.Length; k++)
            {
                int a = steps[k - 1], b = steps[k];
                if (column.IsMissing(a) || column.IsMissing(b)) continue;
                double x = column[a] - mean, y = column[b] - mean;
                sxy += x * y; sxx += x * x; syy += y * y;
            }
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    private static bool AllPositive(NumericColumn column)
    {
        for (int i = 0; i < column.Length; i++) if (!column.IsMissing(i) && !(column[i] > 0)) return false;
        return true;
    }

    private static bool MovesWith(double[] logs, double[] anchorLogs, SequenceLayout layout)
    {
        double ratioSpread = WithinEntitySpread(layout, r => logs[r] - anchorLogs[r]);
        double ownSpread = WithinEntitySpread(layout, r => logs[r]);
        return ownSpread > 0 && ratioSpread <= AnchoredSpreadShare * ownSpread;
    }

    /// <summary>Standard deviation of a per-row quantity around each entity's own mean, pooled over entities (NaN rows skipped).</summary>
    private static double WithinEntitySpread(SequenceLayout layout, Func<int, double> value)
    {
        double squares = 0; long count = 0;
        for (int e = 0; e < layout.EntityCount; e++)
        {
            double sum = 0; int n = 0;
            foreach (int r in layout.StepsOf(e)) { double v = value(r); if (!double.IsNaN(v)) { sum += v; n++; } }
            if (n < 2) continue;
            double mean = sum / n;
            foreach (int r in layout.StepsOf(e)) { double v = value(r); if (!double.IsNaN(v)) { squares += (v - mean) * (v - mean); count++; } }
        }
        return count > 1 ? Math.Sqrt(squares / count) : 0;
    }
}
