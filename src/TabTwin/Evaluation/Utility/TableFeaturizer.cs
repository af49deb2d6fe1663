using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Utility;

/// <summary>
/// Turns table rows into dense float feature vectors for the ML metrics, learned on one table and applied to others:
/// numerical → the value (NaN when missing, which LightGBM routes natively); datetime → seconds since the fitted
/// column's earliest value (so floats keep second-level precision); boolean → 0/1/NaN; categorical → one-hot over
/// the <see cref="MaxCategories"/> most frequent fitted categories (ties by text), with missing and any other
/// value all zeros. Id, pii and text columns are left out (they carry no transferable signal).
/// </summary>
public sealed class TableFeaturizer
{
    public const int MaxCategories = 32;

    private sealed record Feature(string Column, ColumnKind Kind, double Origin, Dictionary<string, int>? Slots, int Width);

    private readonly Feature[] _features;

    private TableFeaturizer(Feature[] features)
    {
        _features = features;
        Width = features.Sum(f => f.Width);
    }

    /// <summary>Length of every feature vector.</summary>
    public int Width { get; }

    /// <summary>Learns the encoding from <paramref name="table"/> for the schema's model-able columns other than <paramref name="exclude"/>.</summary>
    public static TableFeaturizer Fit(Table table, TableSchema schema, string? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        var features = new List<Feature>();
        foreach (var c in schema.Columns)
        {
            if (c.Name == exclude || !QualityReport.IsEvaluated(c.Kind)) continue;
            var column = table[c.Name];
            // A boolean stored as text (yes/no) is one-hot encoded like a category.
            var kind = c.Kind == ColumnKind.Boolean && column is not BooleanColumn ? ColumnKind.Categorical : c.Kind;
            switch (kind)
            {
                case ColumnKind.Datetime:
                    var seconds = ColumnValues.PresentNumbers(column);
                    features.Add(new(c.Name, c.Kind, seconds.Length == 0 ? 0 : seconds.Min(), null, 1));
                    break;
                case ColumnKind.Categorical:
                    var top = Coverage.CategoryCounts.Of(column)
                        .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                        .Take(MaxCategories).Select((kv, i) => (kv.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
                    features.Add(new(c.Name, c.Kind, 0, top, top.Count));
                    break;
                default:
                    features.Add(new(c.Name, c.Kind, 0, null, 1));
                    break;
            }
        }
        return new TableFeaturizer(features.ToArray());
    }

    /// <summary>One feature vector per row of <paramref name="table"/>.</summary>
    public float[][] Transform(Table table)
    {
        var rows = new float[table.RowCount][];
        for (int i = 0; i < rows.Length; i++) rows[i] = new float[Width];
        int offset = 0;
        foreach (var f in _features)
        {
            var column = table[f.Column];
            if (f.Slots is { } slots)
            {
                for (int i = 0; i < rows.Length; i++)
                {
                    if (column.IsMissing(i)) continue;
                    if (slots.TryGetValue(column.FormatValue(i)!, out int slot)) rows[i][offset + slot] = 1;
                }
            }
            else
            {
                var numbers = ColumnValues.Numbers(column);
                for (int i = 0; i < rows.Length; i++) rows[i][offset] = (float)(numbers[i] - f.Origin);
            }
            offset += f.Width;
        }
        return rows;
    }
}
