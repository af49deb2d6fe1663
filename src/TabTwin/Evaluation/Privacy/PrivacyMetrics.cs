using System.Text;
using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Privacy;

/// <summary>
/// Distance-to-closest-record share: the fraction of synthetic rows strictly nearer to a training row than to any row
/// of an equally large holdout, ties counting ½. A generator that does not memorise places synthetic rows no nearer
/// to the rows it saw than to rows it never saw: 0.5 is ideal; towards 1 it copies or hugs training records.
/// </summary>
public sealed class DcrShare : ITargetMetric
{
    public static readonly DcrShare Instance = new();
    public string Name => "DCRShare";
    public Goal Goal => Goal.Target;
    public double Target => 0.5;
    public double MinValue => 0;
    public double MaxValue => 1;

    /// <summary>The share from each synthetic row's distance to its nearest training and nearest holdout row, with a Wilson 95% interval.</summary>
    public static ProportionEstimate FromDistances(ReadOnlySpan<double> toTraining, ReadOnlySpan<double> toHoldout)
    {
        if (toTraining.Length != toHoldout.Length) throw new ArgumentException("Both distance lists must have one entry per synthetic row.");
        double closerToTraining = 0;
        for (int i = 0; i < toTraining.Length; i++)
            closerToTraining += toTraining[i] < toHoldout[i] ? 1 : toTraining[i] == toHoldout[i] ? 0.5 : 0;
        return EvaluationStatistics.Wilson(toTraining.Length == 0 ? double.NaN : closerToTraining / toTraining.Length, toTraining.Length);
    }
}

/// <summary>
/// Nearest-neighbour distance ratio: the mean over synthetic rows of d₁/d₂, their distances to the nearest and
/// second-nearest training row (0/0 counts as 1: a row equal to several training rows singles none out). Near 0 a
/// synthetic row sits on one particular training record; compare with the holdout's own ratio into training.
/// </summary>
public sealed class NearestNeighbourDistanceRatio : IMetric
{
    public static readonly NearestNeighbourDistanceRatio Instance = new();
    public string Name => "NNDR";
    public Goal Goal => Goal.Maximize;
    public double MinValue => 0;
    public double MaxValue => 1;

    public static double FromDistances(ReadOnlySpan<double> nearest, ReadOnlySpan<double> secondNearest)
    {
        if (nearest.Length != secondNearest.Length) throw new ArgumentException("Both distance lists must have one entry per row.");
        if (nearest.Length == 0) return double.NaN;
        double sum = 0;
        for (int i = 0; i < nearest.Length; i++)
            sum += secondNearest[i] == 0 ? 1 : double.IsPositiveInfinity(secondNearest[i]) ? 1 : nearest[i] / secondNearest[i];
        return sum / nearest.Length;
    }
}

/// <summary>
/// Exact-copy rate: the share of candidate rows equal to some training row on every compared column (numerical,
/// datetime, categorical, boolean; id, pii and text are left out, so a copied record under a new id still counts).
/// Numbers compare exactly, missing equals missing. The holdout's own rate is the baseline: real data can hold
/// duplicates, and a synthetic rate near the holdout's is no evidence of memorisation.
/// </summary>
public sealed class ExactCopyRate : IMetric
{
    public static readonly ExactCopyRate Instance = new();
    public string Name => "ExactCopyRate";
    public Goal Goal => Goal.Minimize;
    public double MinValue => 0;
    public double MaxValue => 1;

    public static double Compute(Table training, Table candidates, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var columns = schema.Columns.Where(c => MixedDistance.IsCompared(c.Kind)).ToList();
        if (candidates.RowCount == 0) return double.NaN;
        var trainingKeys = new HashSet<string>(RowKeys(training, columns), StringComparer.Ordinal);
        int copies = RowKeys(candidates, columns).Count(trainingKeys.Contains);
        return copies / (double)candidates.RowCount;
    }

    /// <summary>One exact key per row: numbers as round-trip text of the double, categories as text, missing as a NUL mark.</summary>
    private static IEnumerable<string> RowKeys(Table table, IReadOnlyList<ColumnSchema> columns)
    {
        var parts = columns.Select(c => table.TryGetColumn(c.Name, out var column)
            ? ColumnKeys(column, c.Kind)
            : throw new SchemaException("privacy.missing-column", $"The table has no column '{c.Name}' named in the metadata.", column: c.Name)).ToArray();
        var builder = new StringBuilder();
        for (int i = 0; i < table.RowCount; i++)
        {
            builder.Clear();
            foreach (var p in parts) builder.Append(p[i] ?? "\0").Append('\u001f');
            yield return builder.ToString();
        }
    }

    private static string?[] ColumnKeys(Column column, ColumnKind kind)
    {
        if (kind is ColumnKind.Numerical or ColumnKind.Datetime)
            return ColumnValues.Numbers(column).Select(v => double.IsNaN(v) ? null : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return Enumerable.Range(0, column.Length)
            .Select(i => column.IsMissing(i) ? null : column is BooleanColumn b ? (b[i] ? "true" : "false") : column.FormatValue(i)).ToArray();
    }
}

/// <summary>
/// Distance-based membership inference: an attacker scores each real record by −(distance to the nearest synthetic
/// row) and guesses "was in training" for high scores. AUC of that score for training rows (members) against holdout
/// rows (non-members): 0.5 means membership cannot be inferred (ideal); towards 1 the synthetic data leaks who was in it.
/// </summary>
public sealed class MembershipInferenceAuc : ITargetMetric
{
    public static readonly MembershipInferenceAuc Instance = new();
    public string Name => "MembershipInferenceAUC";
    public Goal Goal => Goal.Target;
    public double Target => 0.5;
    public double MinValue => 0;
    public double MaxValue => 1;

    public static double FromDistances(ReadOnlySpan<double> memberDistances, ReadOnlySpan<double> nonMemberDistances)
    {
        var members = new double[memberDistances.Length];
        var nonMembers = new double[nonMemberDistances.Length];
        for (int i = 0; i < members.Length; i++) members[i] = -memberDistances[i];
        for (int i = 0; i < nonMembers.Length; i++) nonMembers[i] = -nonMemberDistances[i];
        return EvaluationStatistics.Auc(members, nonMembers);
    }
}
