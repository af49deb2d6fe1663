using TabTwin.DifferentialPrivacy;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Private;

/// <summary>What every DP synthesizer starts from: the accountant, the public domains and the coded table.</summary>
internal sealed record DpPrepared(PrivacyAccountant Accountant, DpColumnDomain[] Domains, DiscreteTable Fine)
{
    public int[] Modelled => [.. Enumerable.Range(0, Domains.Length).Where(j => Domains[j].IsModelled)];
    public bool[] Ordered => [.. Modelled.Select(j => Domains[j].Role == DpColumnRole.Numbers)];
    public int[] MissingCodes => [.. Modelled.Select(j => Domains[j].MissingCode)];
}

/// <summary>
/// The steps every DP synthesizer shares: checking the request against the table (δ below 1/rows, domains it can pay
/// for), building the public domains from the metadata and the domain share of the budget, coding the table, and on
/// the way back, turning sampled codes into a table of the source's columns and types.
/// </summary>
internal static class DpFitSetup
{
    public static DpPrepared Prepare(ISynthesizer synthesizer, Table table, TableSchema schema, double epsilon, double delta,
        double domainShare, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        schema.RejectUnappliedConstraints($"the {synthesizer.Name} synthesizer");
        TrainingSize.Require(synthesizer, table);
        if (table.RowCount == 0) throw new SchemaException("table.empty", "The table has no rows; there is nothing to learn.");
        if (delta >= 1.0 / table.RowCount)
            throw new TabTwinException("dp.bad-delta",
                $"δ = {delta:G3} is not below 1 / rows = {1.0 / table.RowCount:G3}: a mechanism with that δ may publish a whole real row.",
                hint: $"Use a smaller --delta, e.g. {Math.Pow(10, Math.Floor(Math.Log10(1.0 / table.RowCount)) - 3):G1}.");
        var accountant = new PrivacyAccountant(epsilon, delta);
        var needed = DpDomainFitter.Needed(table, schema);
        if (needed.Any && domainShare == 0)
            throw new TabTwinException("dp.domain-needed",
                $"Column '{needed.FirstColumn}' declares no public {needed.FirstWhat} and no budget share is left to find them (domainShare = 0).",
                column: needed.FirstColumn, hint: "Declare them in the metadata, or give domainShare > 0.");
        int modelledColumns = schema.Columns.Count(c => DpDomainFitter.RoleOf(c) is DpColumnRole.Labels or DpColumnRole.Numbers);
        CheckWorkable(table.RowCount, modelledColumns, needed.Any ? 1 - domainShare : 1, accountant);
        // A share of δ pays for releasing category values (it must be spent before the conversion uses the rest).
        double deltaDomain = needed.ValueLists > 0 ? delta / 4 : 0;
        double rhoDomain = needed.Any ? domainShare * accountant.TotalRho : 0;
        context.Progress?.Report(new StepProgress("public domains", 0));
        var domains = DpDomainFitter.Fit(table, schema, accountant, rhoDomain, deltaDomain, context.Seed);
        var modelled = Enumerable.Range(0, domains.Length).Where(j => domains[j].IsModelled).ToArray();
        var fine = new DiscreteTable(
            [.. modelled.Select(j => domains[j].Name)],
            [.. modelled.Select(j => domains[j].Size)],
            [.. modelled.Select(j => domains[j].Encode(table[j]))]);
        return new DpPrepared(accountant, domains, fine);
    }

    /// <summary>
    /// Refuses a budget whose one-way counts would be noise, before any data is read: a learner spends about a third
    /// of its ρ on d one-way measurements (σ = √(3d / 2ρ)); past a tenth of the row count no column's shape survives.
    /// The message gives the smallest ε that clears it.
    /// </summary>
    private static void CheckWorkable(int rows, int columns, double learnerShare, PrivacyAccountant accountant)
    {
        int d = Math.Max(1, columns);
        double needed = 3 * d / (2 * Math.Pow(rows / 10.0, 2));   // the learner's ρ for σ = rows/10
        double learner = accountant.TotalRho * learnerShare;
        if (learner >= needed) return;
        double smallest = PrivacyConversion.Epsilon(needed / learnerShare, accountant.Delta);
        throw new TabTwinException("dp.budget-too-small",
            $"ε = {accountant.Epsilon:G3} is too small for {rows:N0} rows and {d} columns: the noise on each column's counts " +
            $"(σ ≈ {Math.Sqrt(3 * d / (2 * learner)):G3}) would exceed a tenth of the rows.",
            hint: $"Use --epsilon {Math.Ceiling(smallest * 1000) / 1000:G3} or more, fewer columns, or more rows.");
    }

    /// <summary>
    /// The output table: modelled columns decoded from <paramref name="codes"/> (by modelled index), the others generated.
    /// Streams are derived from <paramref name="seed"/> per column, so output is the same on any thread count.
    /// </summary>
    public static Table Assemble(DpColumnDomain[] domains, Func<int, int[]>? codes, int rows, ulong seed, CancellationToken cancel)
    {
        var columns = new Column[domains.Length];
        for (int j = 0, m = 0; j < domains.Length; j++)
        {
            cancel.ThrowIfCancellationRequested();
            if (!domains[j].IsModelled) { columns[j] = domains[j].Generate(rows, Randomness.SeededRandom.Derive(seed, 4, (ulong)j)); continue; }
            columns[j] = domains[j].Decode(codes!(m), Randomness.SeededRandom.Derive(seed, 3, (ulong)j));
            m++;
        }
        return new Table(columns);
    }
}
