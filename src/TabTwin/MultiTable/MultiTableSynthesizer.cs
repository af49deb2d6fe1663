using TabTwin.Randomness;
using TabTwin.Sampling.Constraints;
using TabTwin.Schema.Relational;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
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
                var cart = new CartSynthesizer(new CartOptions { LeadingColumns = leading.Length > 0 ? leading : null, UnclippedColumns = counts });
                if (table.RowCount < cart.MinimumRows)
                {
                    options.Warning?.Invoke($"table '{plan.Table}' has {table.RowCount} row{(table.RowCount == 1 ? "" : "s")}, fewer than the {cart.MinimumRows} privacy-protected CART needs: " +
                        "it is learned without privacy protection (ids are still regenerated and personal data faked); treat it as reference data.");
                    cart = new CartSynthesizer(cart.Options with { Privacy = CartPrivacy.Off });
                }
                // Structures (exact copies, sums, codes fixed per group: lahman Teams' teamIDretro per teamID) are detected among the
                // table's own columns only, never on the joined parent columns or counts, so a child can still be drawn given its
                // parent's values: the structures' transforms leave the joined columns as they are (TableSampler reverses them).
                var rules = StructureDetector.ForFit(OwnColumns(table), schema with { Columns = [.. schema.Columns.Where(c => !c.Name.StartsWith('@'))] });
                var context = new FitContext(SeededRandom.Derive(options.Seed, FitSalt, (ulong)t), null, options.Cancel)
                    { MaxThreads = options.MaxThreads, Warning = options.Warning is { } w ? m => w($"table '{plan.Table}': {m}") : null };
                // The check holds out whole families (a parent with its children), as the privacy target is measured; see FamilyFolds.
                string name = plan.Table;
                var (fitted, _, check) = PrivacyCheck.Fit(cart, table, schema, context, rules, options.PrivacyCheck, f => families.Rows(name, f));
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
