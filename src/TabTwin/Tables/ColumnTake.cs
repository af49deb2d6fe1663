
namespace TabTwin.Tables;

/// <summary>Row selection where some positions select nothing: <c>rows[i] &lt; 0</c> gives a missing value.</summary>
internal static class ColumnTake
{
    public static Column TakeOrMissing(Column column, ReadOnlySpan<int> rows, string? name = null)
    {
        name ??= column.Name;
        var safe = new int[rows.Length];
        var absent = new bool[rows.Length];
        bool anyAbsent = false;
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] < 0 || column.Length == 0) { absent[i] = true; anyAbsent = true; }
            else safe[i] = rows[i];
        }
        if (!anyAbsent) return column.Take(safe).WithName(name);
        if (column.Length == 0) return AllMissing(column, rows.Length, name);
        var taken = column.Take(safe);
        var missing = new bool[rows.Length];
        for (int i = 0; i < missing.Length; i++) missing[i] = absent[i] || taken.IsMissing(i);
        var mask = Bitmask.FromBools(missing);
        return taken switch
        {
            NumericColumn n => new NumericColumn(name, n.Values.ToArray(), mask, n.IsInteger, n.DecimalPlaces),
            CategoricalColumn c => new CategoricalColumn(name, Codes(c, missing), [.. c.Categories]),
            BooleanColumn b => new BooleanColumn(name, b.Values.ToArray(), mask, b.TrueToken, b.FalseToken),
            DateTimeColumn d => new DateTimeColumn(name, d.Ticks.ToArray(), mask, d.Format, d.HasOffset ? d.OffsetMinutes.ToArray() : null),
            TextColumn t => new TextColumn(name, Texts(t, missing)),
            _ => throw new NotSupportedException($"Column type {taken.GetType().Name} is not supported."),
        };
    }

    /// <summary>A column of <paramref name="rows"/> missing values with the storage type of <paramref name="like"/>.</summary>
    public static Column AllMissing(Column like, int rows, string? name = null)
    {
        name ??= like.Name;
        var all = new bool[rows];
        Array.Fill(all, true);
        var mask = Bitmask.FromBools(all);
        return like switch
        {
            NumericColumn n => new NumericColumn(name, new double[rows], mask, n.IsInteger, n.DecimalPlaces),
            CategoricalColumn c => new CategoricalColumn(name, Enumerable.Repeat(-1, rows).ToArray(), [.. c.Categories]),
            BooleanColumn b => new BooleanColumn(name, new bool[rows], mask, b.TrueToken, b.FalseToken),
            DateTimeColumn d => new DateTimeColumn(name, new long[rows], mask, d.Format, d.HasOffset ? new short[rows] : null),
            _ => new TextColumn(name, new string?[rows]),
        };
    }

    private static int[] Codes(CategoricalColumn c, bool[] missing)
    {
        var codes = c.Codes.ToArray();
        for (int i = 0; i < codes.Length; i++) if (missing[i]) codes[i] = -1;
        return codes;
    }

    private static string?[] Texts(TextColumn t, bool[] missing)
    {
        var values = t.Values.ToArray();
        for (int i = 0; i < values.Length; i++) if (missing[i]) values[i] = null;
        return values;
    }
}
