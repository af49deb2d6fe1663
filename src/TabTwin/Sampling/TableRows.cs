using TabTwin.Tables;

namespace TabTwin.Sampling;

/// <summary>Row-wise helpers the conditional samplers need: stacking tables with the same columns.</summary>
internal static class TableRows
{
    /// <summary>
    /// The rows of every table, in order. All tables must have the same column names and storage types (as
    /// tables sampled from one model do); categorical dictionaries are merged, numeric precision taken from the first.
    /// </summary>
    public static Table Concat(IReadOnlyList<Table> tables)
    {
        if (tables.Count == 0) throw new ArgumentException("Nothing to concatenate.");
        if (tables.Count == 1) return tables[0];
        var first = tables[0];
        var columns = new Column[first.ColumnCount];
        for (int j = 0; j < columns.Length; j++)
        {
            var parts = tables.Select(t => t[j]).ToArray();
            if (parts.Any(p => p.Name != parts[0].Name || p.Type != parts[0].Type))
                throw new ArgumentException($"Column {j} differs between the tables being stacked.");
            columns[j] = Concat(parts);
        }
        return new Table(columns);
    }

    private static Column Concat(Column[] parts)
    {
        int n = parts.Sum(p => p.Length), o = 0;
        var missing = new bool[n];
        foreach (var p in parts) { for (int i = 0; i < p.Length; i++) missing[o + i] = p.IsMissing(i); o += p.Length; }
        var mask = Bitmask.FromBools(missing);
        var head = parts[0];
        switch (head)
        {
            case NumericColumn n0:
            {
                var v = new double[n]; o = 0;
                foreach (NumericColumn p in parts) { p.Values.CopyTo(v.AsSpan(o)); o += p.Length; }
                return new NumericColumn(head.Name, v, mask, n0.IsInteger && parts.All(p => ((NumericColumn)p).IsInteger),
                    parts.Max(p => ((NumericColumn)p).DecimalPlaces));
            }
            case BooleanColumn b0:
            {
                var v = new bool[n]; o = 0;
                foreach (BooleanColumn p in parts) { p.Values.CopyTo(v.AsSpan(o)); o += p.Length; }
                return new BooleanColumn(head.Name, v, mask, b0.TrueToken, b0.FalseToken);
            }
            case DateTimeColumn d0:
            {
                var t = new long[n];
                var offsets = d0.HasOffset ? new short[n] : null;
                o = 0;
                foreach (DateTimeColumn p in parts)
                {
                    p.Ticks.CopyTo(t.AsSpan(o));
                    if (offsets is not null && p.HasOffset) p.OffsetMinutes.CopyTo(offsets.AsSpan(o));
                    o += p.Length;
                }
                return new DateTimeColumn(head.Name, t, mask, d0.Format, offsets);
            }
            case CategoricalColumn c0:
            {
                var cats = c0.Categories.ToList();
                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < cats.Count; i++) index.TryAdd(cats[i], i);
                var codes = new int[n]; o = 0;
                foreach (CategoricalColumn p in parts)
                {
                    var map = p.Categories.Select(s =>
                    {
                        if (!index.TryGetValue(s, out int k)) { k = cats.Count; index[s] = k; cats.Add(s); }
                        return k;
                    }).ToArray();
                    for (int i = 0; i < p.Length; i++) codes[o + i] = p.Codes[i] < 0 ? -1 : map[p.Codes[i]];
                    o += p.Length;
                }
                return new CategoricalColumn(head.Name, codes, cats.ToArray());
            }
            default:
            {
                var v = new string?[n]; o = 0;
                foreach (var p in parts) { for (int i = 0; i < p.Length; i++) v[o + i] = p.FormatValue(i); o += p.Length; }
                return new TextColumn(head.Name, v);
            }
        }
    }
}
