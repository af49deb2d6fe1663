using TabTwin.Encoding;
using TabTwin.Randomness;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema.Relational;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.Independent;
using TabTwin.Tables;

namespace TabTwin.MultiTable;

/// <summary>
/// Learns a whole relational database (ML.NET shape: <see cref="Fit"/> returns an immutable <see cref="MultiTableModel"/>).
/// Tables are learned parents first, each with the default synthesizer (CART with its privacy protection and the fit's
/// privacy check, as <see cref="SyntheticData.Fit"/>, its holdout made of whole families: <see cref="FamilyFolds"/>), on a training table that adds what its keys mean: per child
/// relationship the number of children of each row, the primary parent's columns (the child is later drawn given its
/// synthetic parent) and every other parent's columns (used to match a synthetic child to the nearest synthetic parent).
/// Key columns themselves are never learned: ids are regenerated in their learned format, foreign keys are assigned.
/// </summary>
public static class MultiTableSynthesizer
{
    private const ulong FitSalt = 0x3417;

    /// <summary>Fits every table of <paramref name="data"/>; deterministic for <see cref="MultiTableOptions.Seed"/> on any thread count.</summary>
    public static MultiTableModel Fit(RelationalData data, MultiTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new MultiTableOptions();
        options.Check();
        var training = PlanBuilder.Build(data, options);
        var families = new FamilyFolds(data, options.Seed);
        var plans = new List<TablePlan>();
        var models = new List<ISynthesizerModel?>();
        for (int t = 0; t < training.Count; t++)
        {
            options.Cancel.ThrowIfCancellationRequested();
            var (plan, table, schema, leading) = training[t];
            options.Progress?.Report(new StepProgress($"fit {plan.Table}", t / (double)training.Count));
            ISynthesizerModel? model = null;
            if (table.ColumnCount > 0 && table.RowCount > 0)
            {
                var counts = table.ColumnNames.Where(c => c.StartsWith("@n", StringComparison.Ordinal) || c.StartsWith("@p.@n", StringComparison.Ordinal)).ToArray();
                ISynthesizer synthesizer = new CartSynthesizer(new CartOptions { LeadingColumns = leading.Length > 0 ? leading : null, UnclippedColumns = counts });
                if (table.RowCount < synthesizer.MinimumRows)
                {
                    // A table under the protected CART's minimum (10 rows: chinook's 5 media types, its 8 employees) is reference
                    // data or a handful of people. Copying it is what one expects of lookup labels, but every value of such a
                    // table is rare by the library's rule (fewer than EncodingOptions.RareCategoryThreshold = 5 rows share it:
                    // that is a record, whichever model learned it), and nothing tells a media-type label from a person. So it
                    // is regenerated, never copied: as many rows, new keys (every child still finds a parent; its count of
                    // children keeps its exact range, the database's structure), each column drawn on its own from its protected
                    // marginal (the independent synthesizer with the default encoding): a value fewer than 5 rows share is never
                    // emitted (a new one in the column's learned shape instead), numbers and dates stay inside their middle
                    // range, and columns drawn apart reproduce no real row. TableSampler draws it without its parent's values.
                    var encoding = new EncodingOptions { UnclippedColumns = counts };
                    options.Warning?.Invoke($"table '{plan.Table}' has {table.RowCount} row{(table.RowCount == 1 ? "" : "s")}, fewer than the {synthesizer.MinimumRows} privacy-protected CART needs: " +
                        $"it is regenerated, not copied: new keys, each column drawn on its own, values fewer than {encoding.RareCategoryThreshold} rows share replaced by new ones in their shape.");
                    synthesizer = new IndependentSynthesizer(new IndependentOptions { Encoding = encoding, BelowMinimumRows = true });
                }
                // Structures (exact copies, sums, codes fixed per group: lahman Teams' teamIDretro per teamID) are detected among the
                // table's own columns only, never on the joined parent columns or counts, so a child can still be drawn given its
                // parent's values: the structures' transforms leave the joined columns as they are (TableSampler reverses them).
                var rules = StructureDetector.ForFit(OwnColumns(table), schema with { Columns = [.. schema.Columns.Where(c => !c.Name.StartsWith('@'))] });
                var context = new FitContext(SeededRandom.Derive(options.Seed, FitSalt, (ulong)t), null, options.Cancel)
                    { MaxThreads = options.MaxThreads, Warning = options.Warning is { } w ? m => w($"table '{plan.Table}': {m}") : null };
                // The check holds out whole families (a parent with its children), as the privacy target is measured, and
                // compares the table's own columns (not the joined parent columns or children counts); see FamilyFolds.
                string name = plan.Table;
                var split = new FamilySplit(f => families.Rows(name, f), column => !column.StartsWith('@'));
                var (fitted, _, check) = PrivacyCheck.Fit(synthesizer, table, schema, context, rules, options.PrivacyCheck, split);
                if (check is not null) options.Warning?.Invoke($"table '{plan.Table}', split by family: {check.Describe()}");
                model = fitted;
                plan = plan with { Synthesizer = fitted.SynthesizerName };
            }
            plans.Add(plan);
            models.Add(model);
        }
        options.Progress?.Report(new StepProgress("fit", 1));
        return new MultiTableModel(data.Metadata, plans, models);
    }

    private static Table OwnColumns(Table training) => new(training.Columns.Where(c => !c.Name.StartsWith('@')));
}
