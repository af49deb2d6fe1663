using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Sequences;

/// <summary>
/// The step columns of a sequence table as the sequence metrics read them: the schema's numerical step columns as
/// numbers, its categorical and boolean step columns as codes, the datetime/number order column as keys, all per
/// entity in step order. Built once per table so every metric walks plain arrays.
/// </summary>
internal sealed class SequenceData
{
    private SequenceData(Table table, SequenceLayout layout, int[] entities) { Table = table; Layout = layout; Entities = entities; }

    public Table Table { get; }
    public SequenceLayout Layout { get; }
    /// <summary>Layout entity indices kept (all, or a seeded sample when the table has more than the cap), ascending.</summary>
    public int[] Entities { get; }
    public int Count => Entities.Length;
    /// <summary>Order keys per kept entity, in step order: datetimes in days, numbers as they are.</summary>
    public double[][] Order { get; private init; } = [];
    /// <summary>[column][entity][step], NaN where missing, for <see cref="SequenceColumns.Numeric"/>.</summary>
    public double[][][] Numbers { get; private init; } = [];
    /// <summary>[column][entity][step], −1 where missing, for <see cref="SequenceColumns.Categorical"/> (codes shared through <see cref="CategoryCodes"/>).</summary>
    public int[][][] Codes { get; private init; } = [];

    public int LengthOf(int entity) => Order[entity].Length;

    /// <summary>Gaps between consecutive order keys of one entity (length − 1 values).</summary>
    public double[] GapsOf(int entity)
    {
        var o = Order[entity];
        var gaps = new double[Math.Max(0, o.Length - 1)];
        for (int t = 1; t < o.Length; t++) gaps[t - 1] = o[t] - o[t - 1];
        return gaps;
    }

    public static SequenceData Of(Table table, SequenceColumns columns, CategoryCodes codes, int maxEntities, ulong seed, ulong stream)
    {
        // Context is not re-checked here: the real layout resolved it, and a synthetic table breaking it is scored, not refused.
        var layout = SequenceLayout.Of(table, columns.Spec with { Context = [] });
        var entities = EvaluationStatistics.SampleRows(layout.EntityCount, maxEntities, seed, stream);
        var order = table[columns.Spec.Order];
        var keys = SequenceLayout.OrderKeys(order);
        double unit = order is DateTimeColumn ? TimeSpan.TicksPerDay : 1;
        var numberColumns = columns.Numeric.Select(c => ColumnValues.Numbers(table[c])).ToArray();
        var codeColumns = columns.Categorical.Select(c => codes.Encode(c, table[c])).ToArray();
        var orderPerEntity = new double[entities.Length][];
        var numbers = numberColumns.Select(_ => new double[entities.Length][]).ToArray();
        var categories = codeColumns.Select(_ => new int[entities.Length][]).ToArray();
        for (int k = 0; k < entities.Length; k++)
        {
            var rows = layout.StepsOf(entities[k]);
            orderPerEntity[k] = new double[rows.Length];
            for (int t = 0; t < rows.Length; t++) orderPerEntity[k][t] = keys[rows[t]] / unit;
            for (int j = 0; j < numberColumns.Length; j++)
            {
                var v = numbers[j][k] = new double[rows.Length];
                for (int t = 0; t < rows.Length; t++) v[t] = numberColumns[j][rows[t]];
            }
            for (int j = 0; j < codeColumns.Length; j++)
            {
                var v = categories[j][k] = new int[rows.Length];
                for (int t = 0; t < rows.Length; t++) v[t] = codeColumns[j][rows[t]];
            }
        }
        return new SequenceData(table, layout, entities) { Order = orderPerEntity, Numbers = numbers, Codes = categories };
    }
}

/// <summary>Which columns of a sequence table play which part, from the real table's layout and the schema's kinds.</summary>
internal sealed record SequenceColumns(SequenceSpec Spec, string[] Numeric, string[] Categorical, string[] Context, string[] ContextNumeric)
{
    /// <summary>
    /// Step columns: numerical ones are series (autocorrelation, returns, prediction), categorical and boolean ones are
    /// event streams (transitions); datetime, id, pii and text step columns are left out of the dynamics. Context columns
    /// are the real layout's; evaluated ones take part in the column shapes and the per-entity features.
    /// </summary>
    public static SequenceColumns Of(SequenceLayout realLayout, TableSchema schema)
    {
        ColumnKind KindOf(string name) => schema.Find(name)?.Kind ?? ColumnKind.Text;
        var steps = realLayout.StepColumns;
        return new SequenceColumns(realLayout.Spec,
            [.. steps.Where(c => KindOf(c) == ColumnKind.Numerical)],
            [.. steps.Where(c => KindOf(c) is ColumnKind.Categorical or ColumnKind.Boolean)],
            [.. realLayout.Context.Where(c => QualityReport.IsEvaluated(KindOf(c)) && KindOf(c) is not (ColumnKind.Numerical or ColumnKind.Datetime))],
            [.. realLayout.Context.Where(c => KindOf(c) is ColumnKind.Numerical or ColumnKind.Datetime)]);
    }
}

/// <summary>One code per distinct category text per column, shared by every table of one evaluation (not thread-safe).</summary>
internal sealed class CategoryCodes
{
    private readonly Dictionary<string, Dictionary<string, int>> _byColumn = new(StringComparer.Ordinal);

    public int CountOf(string column) => _byColumn.TryGetValue(column, out var d) ? d.Count : 0;

    /// <summary>The code of each row's value, −1 where missing.</summary>
    public int[] Encode(string name, Column column)
    {
        if (!_byColumn.TryGetValue(name, out var map)) _byColumn[name] = map = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new int[column.Length];
        for (int i = 0; i < result.Length; i++)
        {
            if (column.IsMissing(i)) { result[i] = -1; continue; }
            string key = column is BooleanColumn b ? (b[i] ? "true" : "false") : column.FormatValue(i)!;
            if (!map.TryGetValue(key, out int code)) map[key] = code = map.Count;
            result[i] = code;
        }
        return result;
    }
}
