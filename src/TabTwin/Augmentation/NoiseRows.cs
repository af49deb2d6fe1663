using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Augmentation;

/// <summary>
/// Noisy copies of the real rows of one class. Rows are copied in rounds, each round a fresh seeded shuffle of the
/// class, so every real row is copied about equally often. Numbers and datetimes get Gaussian noise with standard
/// deviation scale × the real column's standard deviation, are clipped to the real column's observed range and rounded
/// like the column; missing values stay missing. Categorical and boolean values are kept, or with probability
/// <c>flip</c> replaced by the value of a random real row of the same class (the class's own distribution of that
/// column); the target is never changed. Text is copied, ids get fresh keys, personal data fresh fake values.
/// Each column draws from its own seeded stream, so output does not depend on the thread count or on other columns.
/// </summary>
internal static class NoiseRows
{
    public static Table Generate(Table real, TableSchema schema, string target, int[] classRows, int count, double scale, double flip, ulong seed)
    {
        if (classRows.Length == 0) throw new ArgumentException("The class has no rows to copy.");
        var bases = Bases(classRows, count, SeededRandom.Derive(seed, 0xBA5E));
        var columns = new List<Column>(real.ColumnCount);
        for (int j = 0; j < real.ColumnCount; j++)
        {
            var column = real[j];
            var spec = schema[column.Name];
            ulong columnSeed = SeededRandom.Derive(seed, 0x7015E, (ulong)j);
            columns.Add(NewRowColumns.RoleOf(spec, column) switch
            {
                NewRowColumns.Role.Number => Jitter((NumericColumn)column, bases, scale, columnSeed),
                NewRowColumns.Role.Date => Jitter((DateTimeColumn)column, bases, scale, columnSeed),
                NewRowColumns.Role.FreshKey => NewRowColumns.FreshKeys(column, count, columnSeed),
                NewRowColumns.Role.Fake => NewRowColumns.Fake(spec, schema.Locale, count, columnSeed),
                _ when flip > 0 && column.Name != target && spec.Kind is ColumnKind.Categorical or ColumnKind.Boolean
                    => column.Take(Flip(bases, classRows, flip, columnSeed)),
                _ => column.Take(bases),
            });
        }
        return new Table(columns);
    }

    private static int[] Bases(int[] classRows, int count, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var order = (int[])classRows.Clone();
        var bases = new int[count];
        for (int r = 0; r < count; r++)
        {
            int inRound = r % order.Length;
            if (inRound == 0)
                for (int i = order.Length - 1; i > 0; i--) { int s = rng.NextInt(i + 1); (order[i], order[s]) = (order[s], order[i]); }
            bases[r] = order[inRound];
        }
        return bases;
    }

    private static NumericColumn Jitter(NumericColumn column, int[] bases, double scale, ulong seed)
    {
        var (std, min, max) = NewRowColumns.Spread(column);
        var rng = new SeededRandom(seed);
        var values = new double[bases.Length];
        for (int r = 0; r < values.Length; r++)
        {
            double z = rng.NextGaussian();   // drawn for every row so a missing value does not shift later rows' noise
            values[r] = column.IsMissing(bases[r]) ? double.NaN
                : Math.Clamp(NewRowColumns.RoundLike(column, Math.Clamp(column[bases[r]] + scale * std * z, min, max)), min, max);
        }
        return NewRowColumns.Numbers(column, values);
    }

    private static DateTimeColumn Jitter(DateTimeColumn column, int[] bases, double scale, ulong seed)
    {
        var (std, _, _) = NewRowColumns.Spread(column);
        var (lo, hi) = NewRowColumns.TickRange(column);
        long step = NewRowColumns.DateStep(column);
        var rng = new SeededRandom(seed);
        var ticks = new long?[bases.Length];
        for (int r = 0; r < ticks.Length; r++)
        {
            double z = rng.NextGaussian();
            if (column.IsMissing(bases[r])) continue;
            long moved = column.Ticks[bases[r]] + (long)Math.Clamp(Math.Round(scale * std * z), -(double)(hi - lo), hi - lo);
            // Round to the format's unit, but never past the observed range (the range ends may be off that unit).
            ticks[r] = NewRowColumns.RoundTicks(Math.Clamp(moved, lo, hi), step, lo, hi);
        }
        return NewRowColumns.Dates(column, ticks, bases);
    }

    private static int[] Flip(int[] bases, int[] classRows, double flip, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var rows = new int[bases.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            bool replace = rng.NextBernoulli(flip);
            int other = classRows[rng.NextInt(classRows.Length)];
            rows[r] = replace ? other : bases[r];
        }
        return rows;
    }
}
