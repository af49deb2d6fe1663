using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Evaluation;

/// <summary>
/// The train/holdout split used across tests, benchmarks and evaluation: row indices shuffled
/// (Fisher–Yates) with a <see cref="SeededRandom"/> stream of the seed, the first
/// <c>floor(rows × trainFraction)</c> rows train, the rest hold out. Same seed, same split, on any machine.
/// </summary>
public static class HoldoutSplit
{
    public static (Table Train, Table Holdout) Split(Table table, double trainFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!(trainFraction > 0 && trainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The train fraction must lie strictly between 0 and 1.");
        var rows = Enumerable.Range(0, table.RowCount).ToArray();
        var rng = SeededRandom.For(seed, 0x5EED_5B17);
        for (int i = rows.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
        int cut = (int)(table.RowCount * trainFraction);
        return (table.Take(rows.AsSpan(0, cut)), table.Take(rows.AsSpan(cut)));
    }
}
