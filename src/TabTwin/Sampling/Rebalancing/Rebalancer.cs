using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Sampling.Rebalancing;

/// <summary>
/// Samples a synthetic table with requested class shares of one target column (e.g. as many fraud rows as non-fraud
/// rows): each class's exact row count (<see cref="ClassShares.Counts"/>) is drawn from the model by conditional
/// sampling on that class, and the rows are then shuffled together with a seeded permutation so classes are not in
/// blocks. Deterministic for a seed, whatever the thread count.
/// </summary>
public static class Rebalancer
{
    /// <summary>
    /// <paramref name="rows"/> rows whose <paramref name="shares"/>' column holds the requested shares; classes not named
    /// keep their proportions in <paramref name="original"/> within what remains. With <paramref name="within"/>, every row
    /// also satisfies those conditions (e.g. half fraud among country = DE).
    /// </summary>
    public static Table Sample(ISynthesizerModel model, ClassDistribution original, ClassShares shares, int rows, ulong seed, SampleContext? context = null,
        ConditionSet? within = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ClassDistribution.CheckKind(model.Schema, shares.Column);
        var (perClass, missing) = shares.Counts(original, rows);
        var parts = new List<Table>();
        for (int c = 0; c <= perClass.Length; c++)
        {
            int count = c < perClass.Length ? perClass[c] : missing;
            if (count == 0) continue;
            string? value = c < perClass.Length ? original.Classes[c].Class : null;
            context?.Cancel.ThrowIfCancellationRequested();
            parts.Add(ClassSampler.Sample(model, shares.Column, value, count, SeededRandom.Derive(seed, 0x4EBA1, (ulong)c), context ?? new SampleContext(), within));
        }
        var table = Table.Concat(parts.ToArray());
        return table.Take(Permutation(table.RowCount, SeededRandom.Derive(seed, 0x5F1E)));
    }

    /// <summary>
    /// As <see cref="Sample(ISynthesizerModel, ClassDistribution, ClassShares, int, ulong, SampleContext?, ConditionSet?)"/>, with the
    /// shares as text (<c>income=&gt;50K:0.5</c>) and the original proportions counted in the real table.
    /// </summary>
    public static Table Sample(ISynthesizerModel model, Table real, string shares, int rows, ulong seed, SampleContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(real);
        var parsed = ClassShares.Parse(shares, real.ColumnNames);
        return Sample(model, ClassDistribution.Of(real, model.Schema, parsed.Column), parsed, rows, seed, context);
    }

    private static int[] Permutation(int n, ulong seed)
    {
        var rows = Enumerable.Range(0, n).ToArray();
        new SeededRandom(seed).Shuffle<int>(rows);
        return rows;
    }
}
