using TabTwin.Sampling.Rebalancing;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Randomness;
using TabTwin.Registry;
using TabTwin.Sampling.Constraints;

namespace TabTwin.Augmentation;

/// <summary>
/// Rare-event augmentation: the real table followed by new rows of its rare classes, so that every class of the target
/// reaches at least the wanted share (<see cref="AugmentPlanner"/>). The real rows come first and unchanged; new rows
/// follow grouped by class (most frequent raised class first). New rows are made by a synthesizer sampled
/// conditionally on the class (<see cref="AugmentMethod.Synth"/>), by SMOTE-NC interpolation
/// (<see cref="AugmentMethod.Smote"/>) or as noisy copies (<see cref="AugmentMethod.Noise"/>); all are seeded and give
/// the same table whatever the thread count, with the real table's column order, types and formats.
/// </summary>
public static class Augmenter
{
    public static AugmentResult Augment(Table real, TableSchema schema, AugmentOptions options,
        IProgress<StepProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        schema.Validate(real);
        Check(real, options);
        var original = ClassDistribution.Of(real, schema, options.Target);
        var plan = AugmentPlanner.Plan(original, options.To);

        ISynthesizerModel? model = null;
        if (options.Method == AugmentMethod.Synth && plan.TotalAdded > 0)
        {
            model = options.Model ?? Fit(real, schema, options, progress, cancel);
            if (model.Schema.Find(options.Target) is null)
                throw new ArgumentException($"The model given in the options has no column '{options.Target}'.", nameof(options));
        }
        var parts = new List<Table> { real };
        for (int c = 0; c < original.Classes.Count; c++)
        {
            int count = plan.Added[c];
            if (count == 0) continue;
            cancel.ThrowIfCancellationRequested();
            ulong seed = ClassSeed(options.Seed, c);
            var rows = options.Method switch
            {
                AugmentMethod.Smote => SmoteRows.Generate(real, schema, options.Target, original.RowsOf(c), count, options.Neighbours, seed, options.MaxThreads, cancel),
                AugmentMethod.Noise => NoiseRows.Generate(real, schema, options.Target, original.RowsOf(c), count, options.NoiseScale, options.CategoryFlip, seed),
                _ => ClassSampler.Sample(model!, options.Target, original.Classes[c].Class, count, seed,
                        new SampleContext(progress, cancel) { MaxThreads = options.MaxThreads }),
            };
            parts.Add(Conform(rows, real));
        }
        var table = parts.Count == 1 ? real : Table.Concat(parts.ToArray());
        if (options.Mark)
        {
            var flags = new bool[table.RowCount];
            for (int i = real.RowCount; i < flags.Length; i++) flags[i] = true;
            table = table.WithColumn(new BooleanColumn(options.MarkColumn, flags));
        }
        return new AugmentResult(table, real.RowCount, plan, options.Method, options.Method == AugmentMethod.Synth ? model?.SynthesizerName ?? options.Synthesizer : null);
    }

    /// <summary>The seed the new rows of class <paramref name="classIndex"/> are made with.</summary>
    internal static ulong ClassSeed(ulong seed, int classIndex) => SeededRandom.Derive(seed, 0xA06_3E27, (ulong)classIndex);

    private static void Check(Table real, AugmentOptions o)
    {
        if (!real.Contains(o.Target))
            throw new SchemaException("augment.unknown-target", $"The target column '{o.Target}' does not exist; the table has: {string.Join(", ", real.ColumnNames)}.", column: o.Target);
        if (o.Mark && real.Contains(o.MarkColumn))
            throw new SchemaException("augment.mark-column", $"The table already has a column '{o.MarkColumn}'; the marker column needs another name.", column: o.MarkColumn);
        if (!(o.NoiseScale >= 0) || !double.IsFinite(o.NoiseScale))
            throw new TabTwinException("augment.noise-scale", $"The noise scale must be a non-negative number, not {o.NoiseScale}.");
        if (!(o.CategoryFlip >= 0 && o.CategoryFlip <= 1))
            throw new TabTwinException("augment.flip", $"The category flip probability must lie between 0 and 1, not {o.CategoryFlip}.");
        if (o.Neighbours < 1)
            throw new TabTwinException("augment.neighbours", $"SMOTE needs at least 1 neighbour, not {o.Neighbours}.");
    }

    private static ISynthesizerModel Fit(Table real, TableSchema schema, AugmentOptions options, IProgress<StepProgress>? progress, CancellationToken cancel)
    {
        var synthesizer = SynthesizerRegistry.Get(options.Synthesizer).Create(options.SynthesizerOptions);
        // Constraints the schema declares hold for the new rows too.
        return SchemaConstraints.Fit(synthesizer, real, schema, new FitContext(options.Seed, progress, cancel) { MaxThreads = options.MaxThreads }).Model;
    }

    /// <summary>
    /// New rows in the real table's column order, with numbers rounded the way the real column writes them, so that
    /// appending them never changes how the real rows are written (an integer column stays integer).
    /// </summary>
    private static Table Conform(Table rows, Table real)
    {
        var columns = new Column[real.ColumnCount];
        for (int j = 0; j < columns.Length; j++)
        {
            var name = real[j].Name;
            if (!rows.TryGetColumn(name, out var column))
                throw new InvalidOperationException($"The generated rows lack column '{name}'.");
            if (real[j] is NumericColumn r && column is NumericColumn n && (n.IsInteger != r.IsInteger || n.DecimalPlaces > r.DecimalPlaces))
            {
                var values = new double[n.Length];
                for (int i = 0; i < values.Length; i++) values[i] = n.IsMissing(i) ? double.NaN : n[i];
                column = NewRowColumns.Numbers(r, values);
            }
            columns[j] = column;
        }
        return new Table(columns);
    }
}
