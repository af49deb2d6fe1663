using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Sequences;

/// <summary>A stretch of one entity's history: <see cref="Count"/> steps from step <see cref="Start"/> of kept entity <see cref="Entity"/>.</summary>
internal readonly record struct SequenceUnit(int Entity, int Start, int Count);

/// <summary>
/// One float vector summarising a stretch of an entity's history, the unit the discriminative score and the
/// entity-level privacy metrics compare (NaN where a feature is undefined, e.g. the spread of one value):
/// <list type="bullet">
/// <item>shape: steps in the stretch, steps in the whole entity, duration (last − first order value, days for datetimes),
/// first order value, mean and standard deviation of the gaps;</item>
/// <item>per numerical step column: first, last, mean, standard deviation, lag-1 autocorrelation (centred on the stretch's
/// mean) and standard deviation of the step-to-step changes;</item>
/// <item>per categorical step column: the share of each of its <see cref="MaxCategories"/> most frequent real categories;</item>
/// <item>context: numerical/datetime values as they are, categorical ones one-hot over their most frequent real categories.</item>
/// </list>
/// The category slots are fitted on the real data so every table is encoded alike.
/// </summary>
internal sealed class EntityFeatures
{
    public const int MaxCategories = 16;

    private readonly SequenceColumns _columns;
    private readonly int[][] _stepSlots;      // per categorical step column: code → slot or −1
    private readonly Dictionary<string, int>[] _contextSlots;

    private EntityFeatures(SequenceColumns columns, int[][] stepSlots, Dictionary<string, int>[] contextSlots, bool scaleFree)
    {
        _columns = columns; _stepSlots = stepSlots; _contextSlots = contextSlots; ScaleFree = scaleFree;
        Width = 6 + 6 * columns.Numeric.Length + stepSlots.Sum(s => s.Count(x => x >= 0)) + columns.ContextNumeric.Length + contextSlots.Sum(s => s.Count);
    }

    public int Width { get; }

    /// <summary>
    /// Whether the numerical step columns are described by their dynamics only: lag-1 autocorrelation, sd of the changes,
    /// net change and sd, each over the stretch's mean |x|, lag-1 autocorrelation of the changes and the share of
    /// unchanged steps (instead of first, last, mean, sd, autocorrelation and sd of the changes in the column's units).
    /// </summary>
    public bool ScaleFree { get; }

    public static EntityFeatures Fit(SequenceData real, SequenceColumns columns, CategoryCodes codes, bool scaleFree = false)
    {
        var stepSlots = new int[columns.Categorical.Length][];
        for (int j = 0; j < stepSlots.Length; j++)
        {
            var counts = new int[codes.CountOf(columns.Categorical[j])];
            foreach (var x in real.Codes[j]) foreach (var c in x) if (c >= 0) counts[c]++;
            var top = Enumerable.Range(0, counts.Length).Where(c => counts[c] > 0).OrderByDescending(c => counts[c]).ThenBy(c => c).Take(MaxCategories).ToArray();
            stepSlots[j] = Enumerable.Repeat(-1, counts.Length).ToArray();
            for (int slot = 0; slot < top.Length; slot++) stepSlots[j][top[slot]] = slot;
        }
        var contextSlots = columns.Context.Select(name =>
        {
            var column = real.Table[name];
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var e in real.Entities)
                if (Key(column, real.Layout.StepsOf(e)[0]) is { } key) counts[key] = counts.GetValueOrDefault(key) + 1;
            return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(MaxCategories)
                .Select((kv, i) => (kv.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        }).ToArray();
        return new EntityFeatures(columns, stepSlots, contextSlots, scaleFree);
    }

    /// <summary>Whole entities, one unit each.</summary>
    public static SequenceUnit[] WholeEntities(SequenceData data)
        => Enumerable.Range(0, data.Count).Select(e => new SequenceUnit(e, 0, data.LengthOf(e))).ToArray();

    /// <summary>
    /// Entities cut into consecutive non-overlapping windows of <paramref name="window"/> steps (the last partial window of
    /// a long entity dropped; an entity shorter than the window is one unit), so a handful of long histories (ten stocks
    /// over five years) still give the classifier enough units and a long entity counts in proportion to its length.
    /// </summary>
    public static SequenceUnit[] Windows(SequenceData data, int window)
    {
        var units = new List<SequenceUnit>();
        for (int e = 0; e < data.Count; e++)
        {
            int length = data.LengthOf(e);
            if (length <= window) units.Add(new SequenceUnit(e, 0, length));
            else for (int s = 0; s + window <= length; s += window) units.Add(new SequenceUnit(e, s, window));
        }
        return [.. units];
    }

    public float[][] Transform(SequenceData data, IReadOnlyList<SequenceUnit> units)
    {
        var contextNumbers = _columns.ContextNumeric.Select(c => ColumnValues.Numbers(data.Table[c])).ToArray();
        var contextColumns = _columns.Context.Select(c => data.Table[c]).ToArray();
        var result = new float[units.Count][];
        for (int u = 0; u < units.Count; u++)
        {
            var (e, start, count) = units[u];
            var f = result[u] = new float[Width];
            int at = 0;
            var order = data.Order[e].AsSpan(start, count);
            var gaps = new double[Math.Max(0, count - 1)];
            for (int t = 1; t < count; t++) gaps[t - 1] = order[t] - order[t - 1];
            f[at++] = count;
            f[at++] = data.LengthOf(e);
            f[at++] = (float)(order[^1] - order[0]);
            f[at++] = (float)order[0];
            f[at++] = (float)Mean(gaps);
            f[at++] = (float)StandardDeviation(gaps);
            for (int j = 0; j < _columns.Numeric.Length; j++)
            {
                var x = data.Numbers[j][e].AsSpan(start, count).ToArray();
                var present = x.Where(v => !double.IsNaN(v)).ToArray();
                var changes = new double[Math.Max(0, count - 1)];
                for (int t = 1; t < count; t++) changes[t - 1] = x[t] - x[t - 1];
                var presentChanges = changes.Where(v => !double.IsNaN(v)).ToArray();
                if (ScaleFree)
                {
                    // Everything relative to the stretch's mean |x|, so a stock at 20 and one at 900 moving alike look alike.
                    double scale = present.Length == 0 ? double.NaN : present.Average(Math.Abs);
                    if (!(scale > 0)) scale = double.NaN;
                    f[at++] = (float)SequenceDynamics.Autocorrelation([x], 1);
                    f[at++] = (float)(StandardDeviation(presentChanges) / scale);
                    f[at++] = (float)((x[^1] - x[0]) / scale);
                    f[at++] = (float)(StandardDeviation(present) / scale);
                    f[at++] = (float)SequenceDynamics.Autocorrelation([changes], 1);
                    f[at++] = presentChanges.Length == 0 ? float.NaN : presentChanges.Count(v => v == 0) / (float)presentChanges.Length;
                    continue;
                }
                f[at++] = (float)x[0];
                f[at++] = (float)x[^1];
                f[at++] = (float)Mean(present);
                f[at++] = (float)StandardDeviation(present);
                f[at++] = (float)SequenceDynamics.Autocorrelation([x], 1);
                f[at++] = (float)StandardDeviation(presentChanges);
            }
            for (int j = 0; j < _stepSlots.Length; j++)
            {
                var slots = _stepSlots[j];
                int width = slots.Count(s => s >= 0), present = 0;
                foreach (var c in data.Codes[j][e].AsSpan(start, count))
                {
                    if (c < 0) continue;
                    present++;
                    if (c < slots.Length && slots[c] >= 0) f[at + slots[c]]++;
                }
                for (int k = 0; k < width; k++) f[at + k] = present == 0 ? float.NaN : f[at + k] / present;
                at += width;
            }
            int firstRow = data.Layout.StepsOf(data.Entities[e])[0];
            foreach (var numbers in contextNumbers) f[at++] = (float)numbers[firstRow];
            for (int j = 0; j < contextColumns.Length; j++)
            {
                if (Key(contextColumns[j], firstRow) is { } key && _contextSlots[j].TryGetValue(key, out int slot)) f[at + slot] = 1;
                at += _contextSlots[j].Count;
            }
        }
        return result;
    }

    /// <summary>The vectors as a table of numerical columns f0, f1, … (NaN as missing), for the mixed distance.</summary>
    public static (Table Table, TableSchema Schema) AsTable(float[][] rows, int width)
    {
        var columns = new Column[width];
        for (int j = 0; j < width; j++)
        {
            var values = new double[rows.Length];
            var missing = new Bitmask.Builder(rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                values[i] = rows[i][j];
                if (float.IsNaN(rows[i][j])) { values[i] = 0; missing.Set(i); }
            }
            columns[j] = new NumericColumn("f" + j, values, missing.Build());
        }
        var schema = new TableSchema { Columns = [.. columns.Select(c => new ColumnSchema { Name = c.Name, Kind = ColumnKind.Numerical })] };
        return (new Table(columns), schema);
    }

    private static string? Key(Column column, int row)
        => column.IsMissing(row) ? null : column is BooleanColumn b ? (b[row] ? "true" : "false") : column.FormatValue(row);

    private static double Mean(double[] values) => values.Length == 0 ? double.NaN : values.Average();

    private static double StandardDeviation(double[] values)
    {
        if (values.Length < 2) return double.NaN;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
