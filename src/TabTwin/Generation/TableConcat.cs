using TabTwin.Tables;

namespace TabTwin.Generation;

/// <summary>Joins generated chunks (same columns, same types) into one table.</summary>
internal static class TableConcat
{
    public static Table Concat(IReadOnlyList<Table> chunks)
    {
        if (chunks.Count == 1) return chunks[0];
        var first = chunks[0];
        var columns = new Column[first.ColumnCount];
        for (int c = 0; c < columns.Length; c++)
        {
            var parts = chunks.Select(t => t[c]).ToList();
            int n = parts.Sum(p => p.Length);
            var missing = new Bitmask.Builder(n);
            int offset = 0;
            foreach (var p in parts)
            {
                for (int i = 0; i < p.Length; i++) if (p.Missing[i]) missing.Set(offset + i);
                offset += p.Length;
            }
            var mask = missing.Build();
            columns[c] = parts[0] switch
            {
                NumericColumn n0 => new NumericColumn(n0.Name, parts.SelectMany(p => ((NumericColumn)p).Values.ToArray()).ToArray(), mask,
                    parts.All(p => ((NumericColumn)p).IsInteger), parts.Max(p => ((NumericColumn)p).DecimalPlaces)),
                CategoricalColumn c0 => new CategoricalColumn(c0.Name, parts.SelectMany(p => ((CategoricalColumn)p).Codes.ToArray()).ToArray(), c0.Categories.ToArray()),
                BooleanColumn b0 => new BooleanColumn(b0.Name, parts.SelectMany(p => ((BooleanColumn)p).Values.ToArray()).ToArray(), mask, b0.TrueToken, b0.FalseToken),
                DateTimeColumn d0 => new DateTimeColumn(d0.Name, parts.SelectMany(p => ((DateTimeColumn)p).Ticks.ToArray()).ToArray(), mask, d0.Format),
                TextColumn t0 => new TextColumn(t0.Name, parts.SelectMany(p => ((TextColumn)p).Values.ToArray()).ToArray()),
                _ => throw new ArgumentException("Unknown column class."),
            };
        }
        return new Table(columns);
    }
}
