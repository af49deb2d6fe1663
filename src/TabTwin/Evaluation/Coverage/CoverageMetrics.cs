using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Coverage;

/// <summary>
/// Range coverage (as SDMetrics' RangeCoverage): the share of the real column's [min, max] that the synthetic
/// [min, max] covers, |[rmin, rmax] ∩ [smin, smax]| / (rmax − rmin); for a constant real column 1 when the synthetic
/// range contains that value, else 0. Missing values are ignored. For numerical and datetime columns.
/// </summary>
public sealed class RangeCoverage : IColumnMetric
{
    public static readonly RangeCoverage Instance = new();
    public string Name => "RangeCoverage";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    public double Compute(Column real, Column synthetic)
    {
        var r = ColumnValues.PresentNumbers(real);
        var s = ColumnValues.PresentNumbers(synthetic);
        if (r.Length == 0) throw new MetricUndefinedException($"The real column '{real.Name}' has no present values.");
        if (s.Length == 0) return 0;
        double rMin = r.Min(), rMax = r.Max(), sMin = s.Min(), sMax = s.Max();
        if (rMax == rMin) return sMin <= rMin && rMin <= sMax ? 1 : 0;
        double overlap = Math.Min(rMax, sMax) - Math.Max(rMin, sMin);
        return Math.Clamp(overlap / (rMax - rMin), 0, 1);
    }
}

/// <summary>
/// Category coverage (as SDMetrics' CategoryCoverage): the share of the real column's distinct present categories
/// that appear at least once in the synthetic column. Missing is not a category here. For categorical and boolean columns.
/// </summary>
public sealed class CategoryCoverage : IColumnMetric
{
    public static readonly CategoryCoverage Instance = new();
    public string Name => "CategoryCoverage";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    public double Compute(Column real, Column synthetic)
    {
        var counts = CategoryCounts.Of(real);
        if (counts.Count == 0) throw new MetricUndefinedException($"The real column '{real.Name}' has no present values.");
        var present = CategoryCounts.Of(synthetic);
        return counts.Keys.Count(present.ContainsKey) / (double)counts.Count;
    }
}

/// <summary>
/// Rare-category presence: of the real categories whose share of present real rows is below
/// <see cref="RareShare"/> (default 5%), the share that appears at least once in the synthetic column. Rare categories
/// are the first a generator drops; undefined when the real column has none. For categorical and boolean columns.
/// </summary>
public sealed class RareCategoryPresence(double rareShare = 0.05) : IColumnMetric
{
    public static readonly RareCategoryPresence Instance = new();
    public double RareShare { get; } = rareShare > 0 && rareShare < 1 ? rareShare : throw new ArgumentOutOfRangeException(nameof(rareShare), "The rare share must lie strictly between 0 and 1.");
    public string Name => "RareCategoryPresence";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    public double Compute(Column real, Column synthetic)
    {
        var counts = CategoryCounts.Of(real);
        double total = counts.Values.Sum();
        var rare = counts.Where(kv => kv.Value / total < RareShare).Select(kv => kv.Key).ToList();
        if (rare.Count == 0) throw new MetricUndefinedException($"The real column '{real.Name}' has no category rarer than {RareShare:P0}.");
        var present = CategoryCounts.Of(synthetic);
        return rare.Count(present.ContainsKey) / (double)rare.Count;
    }
}

internal static class CategoryCounts
{
    /// <summary>Rows per present value, keyed by its text (booleans as true/false so spellings do not matter).</summary>
    public static Dictionary<string, int> Of(Column column)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i)) continue;
            string key = column is BooleanColumn b ? (b[i] ? "true" : "false") : column.FormatValue(i)!;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}

/// <summary>One column's coverage scores (NaN with an error when undefined).</summary>
public sealed record ColumnCoverage(string Column, string Metric, double Score, double RarePresence = double.NaN, string? Error = null);

/// <summary>Coverage per column and the mean range and category coverage.</summary>
public sealed record CoverageResult(double RangeCoverage, double CategoryCoverage, double RareCategoryPresence, IReadOnlyList<ColumnCoverage> Columns);

/// <summary>
/// Does the synthetic table reach everywhere the real one does? RangeCoverage for numerical/datetime columns,
/// CategoryCoverage and RareCategoryPresence for categorical/boolean ones; id, pii and text columns are left out.
/// </summary>
public static class CoverageReport
{
    public static CoverageResult Compute(Table real, Table synthetic, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        ArgumentNullException.ThrowIfNull(schema);
        var details = new List<ColumnCoverage>();
        foreach (var c in schema.Columns.Where(c => QualityReport.IsEvaluated(c.Kind)))
        {
            Column r = real[c.Name], s = synthetic[c.Name];
            bool number = c.Kind is ColumnKind.Numerical or ColumnKind.Datetime;
            IColumnMetric metric = number ? RangeCoverage.Instance : CategoryCoverage.Instance;
            double score, rare = double.NaN;
            string? error = null;
            try { score = metric.Compute(r, s); }
            catch (MetricUndefinedException e) { score = double.NaN; error = e.Message; }
            if (!number)
            {
                try { rare = RareCategoryPresence.Instance.Compute(r, s); }
                catch (MetricUndefinedException) { /* no rare categories: nothing to miss */ }
            }
            details.Add(new(c.Name, metric.Name, score, rare, error));
        }
        return new CoverageResult(
            QualityKinds.MeanIgnoringNaN(details.Where(d => d.Metric == RangeCoverage.Instance.Name).Select(d => d.Score)),
            QualityKinds.MeanIgnoringNaN(details.Where(d => d.Metric == CategoryCoverage.Instance.Name).Select(d => d.Score)),
            QualityKinds.MeanIgnoringNaN(details.Select(d => d.RarePresence)),
            details);
    }
}
