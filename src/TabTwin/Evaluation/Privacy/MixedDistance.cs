using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Privacy;

/// <summary>How one column enters the mixed distance: its kind, and for numbers the centre and scale fitted on the real table.</summary>
public sealed record DistanceColumn(string Name, ColumnKind Kind, double Center, double Scale);

/// <summary>
/// The mixed-type row distance used by every privacy metric, a capped Gower-style distance:
/// <code>d(a, b) = (1 / m) Σ_columns δ_j(a_j, b_j)</code> over the m numerical, datetime, categorical and boolean
/// columns of the schema (id, pii and text columns are left out: they are regenerated, never copied), with
/// <list type="bullet">
/// <item>numerical / datetime (seconds): δ = min(|a − b| / s, 1), where s is the real column's interquartile range,
/// or its full range when the IQR is 0, or 1 when the column is constant — so a difference of one IQR or more counts
/// as a full mismatch and outliers cannot dominate;</item>
/// <item>categorical / boolean: δ = 0 when equal, 1 otherwise;</item>
/// <item>missing against present: δ = 1; both missing: δ = 0.</item>
/// </list>
/// d lies in [0, 1] and is 0 exactly when the rows agree on every compared column. The scales are fitted once on the
/// real (training) table so every comparison uses the same yardstick.
/// </summary>
/// <remarks>
/// Computed fast by one trick: every column becomes one float per row such that δ = min(|x − y|, 1). Numbers are
/// centred on the real median and divided by s; categories become 2 × code (distinct codes are ≥ 2 apart, so δ = 1);
/// missing becomes a sentinel far from every present value. A row-vs-block distance is then a SIMD loop of
/// subtract/abs/min/add over column-major reference data, parallel over query rows. Numbers are clamped to ±<see cref="Clamp"/>
/// scale units (only values 100,000 IQRs from the median are affected) to keep floats exact enough and apart from the sentinel.
/// </remarks>
public sealed class MixedDistance
{
    internal const float Clamp = 100_000f;
    internal const float MissingNumber = -4 * Clamp;
    private const float MissingCategory = -2;

    private readonly Dictionary<string, int>[] _categoryCodes;

    private MixedDistance(IReadOnlyList<DistanceColumn> columns)
    {
        Columns = columns;
        _categoryCodes = columns.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
    }

    /// <summary>The compared columns, in schema order.</summary>
    public IReadOnlyList<DistanceColumn> Columns { get; }

    /// <summary>Whether a column of this kind takes part in the distance.</summary>
    public static bool IsCompared(ColumnKind kind) => kind is ColumnKind.Numerical or ColumnKind.Datetime or ColumnKind.Categorical or ColumnKind.Boolean;

    /// <summary>Fits the numeric scales on <paramref name="real"/> (normally the training table).</summary>
    public static MixedDistance Fit(Table real, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(schema);
        var columns = new List<DistanceColumn>();
        foreach (var c in schema.Columns.Where(c => IsCompared(c.Kind)))
        {
            if (!real.Contains(c.Name)) throw new SchemaException("privacy.missing-column", $"The real table has no column '{c.Name}' named in the metadata.", column: c.Name);
            if (c.Kind is ColumnKind.Numerical or ColumnKind.Datetime)
            {
                var (center, scale) = RobustScale(ColumnValues.PresentNumbers(real[c.Name]));
                columns.Add(new(c.Name, c.Kind, center, scale));
            }
            else columns.Add(new(c.Name, c.Kind, 0, 1));
        }
        if (columns.Count == 0) throw new SchemaException("privacy.no-columns", "The metadata has no numerical, datetime, categorical or boolean column to compare rows on.");
        return new MixedDistance(columns);
    }

    /// <summary>Median and IQR (falling back to the range, then 1) of the present values.</summary>
    internal static (double Center, double Scale) RobustScale(double[] values)
    {
        if (values.Length == 0) return (0, 1);
        Array.Sort(values);
        double median = Quantile(values, 0.5);
        double scale = Quantile(values, 0.75) - Quantile(values, 0.25);
        if (!(scale > 0)) scale = values[^1] - values[0];
        if (!(scale > 0) || !double.IsFinite(scale)) scale = 1;
        return (median, scale);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// The rows of <paramref name="table"/> as the float code described above. Categories seen for the first time get
    /// new codes, so encode all tables of one comparison with the same instance (not thread-safe while encoding).
    /// </summary>
    public DistanceMatrix Encode(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var data = new float[Columns.Count][];
        for (int j = 0; j < Columns.Count; j++)
        {
            var spec = Columns[j];
            if (!table.TryGetColumn(spec.Name, out var column))
                throw new SchemaException("privacy.missing-column", $"The table has no column '{spec.Name}' named in the metadata.", column: spec.Name);
            data[j] = spec.Kind is ColumnKind.Numerical or ColumnKind.Datetime ? EncodeNumbers(column, spec) : EncodeCategories(column, _categoryCodes[j]);
        }
        return new DistanceMatrix(data, table.RowCount);
    }

    private static float[] EncodeNumbers(Column column, DistanceColumn spec)
    {
        var numbers = ColumnValues.Numbers(column);
        var result = new float[numbers.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = double.IsNaN(numbers[i]) ? MissingNumber : (float)Math.Clamp((numbers[i] - spec.Center) / spec.Scale, -Clamp, Clamp);
        return result;
    }

    private static float[] EncodeCategories(Column column, Dictionary<string, int> codes)
    {
        var result = new float[column.Length];
        for (int i = 0; i < result.Length; i++)
        {
            if (column.IsMissing(i)) { result[i] = MissingCategory; continue; }
            string key = column is BooleanColumn b ? (b[i] ? "true" : "false") : column.FormatValue(i)!;
            if (!codes.TryGetValue(key, out int code)) codes[key] = code = codes.Count;
            result[i] = 2f * code;
        }
        return result;
    }

    /// <summary>The distance between row <paramref name="rowA"/> of <paramref name="a"/> and row <paramref name="rowB"/> of <paramref name="b"/> (both encoded by this instance).</summary>
    public double Distance(DistanceMatrix a, int rowA, DistanceMatrix b, int rowB)
    {
        float sum = 0;
        for (int j = 0; j < Columns.Count; j++) sum += Math.Min(Math.Abs(a.Data[j][rowA] - b.Data[j][rowB]), 1f);
        return (double)sum / Columns.Count;
    }
}

/// <summary>Rows encoded for <see cref="MixedDistance"/>: one float array per column (column-major, so row blocks vectorize).</summary>
public sealed class DistanceMatrix
{
    internal DistanceMatrix(float[][] data, int rowCount) { Data = data; RowCount = rowCount; }

    internal float[][] Data { get; }
    public int RowCount { get; }
    public int ColumnCount => Data.Length;

    /// <summary>These rows, in this order.</summary>
    public DistanceMatrix Take(ReadOnlySpan<int> rows)
    {
        var data = new float[Data.Length][];
        for (int j = 0; j < data.Length; j++)
        {
            var src = Data[j];
            var dst = data[j] = new float[rows.Length];
            for (int i = 0; i < rows.Length; i++) dst[i] = src[rows[i]];
        }
        return new DistanceMatrix(data, rows.Length);
    }
}
