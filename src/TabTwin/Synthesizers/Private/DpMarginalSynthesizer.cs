using System.Text.Json;
using TabTwin.DifferentialPrivacy;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Private;

/// <summary>Which marginal-based DP method a <see cref="DpMarginalSynthesizer"/> runs.</summary>
public enum DpMarginalMethod
{
    /// <summary>MST: one-way counts + a spanning tree of pairs (fast; the default at small ε).</summary>
    Mst,
    /// <summary>AIM: pairs chosen adaptively against a workload, with budget annealing (best quality, slower).</summary>
    Aim,
}

/// <summary>
/// (ε, δ)-differentially private synthesis from noisy marginals: the column domains are public or DP-released
/// (<see cref="DpDomainFitter"/>), the marginals are measured with the Gaussian mechanism, a graphical model is
/// estimated from them (Private-PGM) and sampled. Every read of the data is charged to one
/// <see cref="PrivacyAccountant"/>, whose ledger the model keeps. Holds only options; <see cref="Fit"/> returns an
/// immutable <see cref="DpMarginalModel"/>.
/// </summary>
public sealed class DpMarginalSynthesizer : ISynthesizer, IDifferentiallyPrivate
{
    public const string MstName = "mst";
    public const string AimName = "aim";

    public DpMarginalSynthesizer(DpMarginalMethod method, DpMarginalOptions? options = null)
    {
        Method = method;
        Options = options ?? new DpMarginalOptions();
    }

    public DpMarginalMethod Method { get; }
    public DpMarginalOptions Options { get; }
    public string Name => Method == DpMarginalMethod.Mst ? MstName : AimName;

    /// <summary>
    /// 100 rows: below it the noise that makes a release private is as large as the counts themselves at any ε a user
    /// would call private, so the output would be noise (and the range search alone refuses most such tables).
    /// </summary>
    public int MinimumRows => 100;

    /// <summary>The promised ε.</summary>
    public double Epsilon => Options.Epsilon;
    /// <summary>The promised δ.</summary>
    public double Delta => Options.Delta;

    internal static ISynthesizer Create(DpMarginalMethod method, JsonElement? options) =>
        new DpMarginalSynthesizer(method, SynthesizerJson.ReadOptions<DpMarginalOptions>(method == DpMarginalMethod.Mst ? MstName : AimName, options, o => o.Check()));

    ISynthesizerModel ISynthesizer.Fit(Table table, TableSchema schema, FitContext context) => Fit(table, schema, context);

    public DpMarginalModel Fit(Table table, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        schema.RejectUnappliedConstraints($"the {Name} synthesizer");
        TrainingSize.Require(this, table);
        Options.Check();
        if (table.RowCount == 0) throw new SchemaException("table.empty", "The table has no rows; there is nothing to learn.");
        if (Options.Delta >= 1.0 / table.RowCount)
            throw new TabTwinException("dp.bad-delta",
                $"δ = {Options.Delta:G3} is not below 1 / rows = {1.0 / table.RowCount:G3}: a mechanism with that δ may publish a whole real row.",
                hint: $"Use a smaller --delta, e.g. {Math.Pow(10, Math.Floor(Math.Log10(1.0 / table.RowCount)) - 3):G1}.");
        var accountant = new PrivacyAccountant(Options.Epsilon, Options.Delta);
        var (quantiles, selections) = DpDomainFitter.ReleasesNeeded(schema);
        bool needsDomain = quantiles + selections > 0 || schema.Columns.Any(c => c.Kind == ColumnKind.Pii)
            || table.Columns.Any(c => c is DateTimeColumn { HasOffset: true });
        if (needsDomain && Options.DomainShare == 0)
        {
            var column = schema.Columns.First(c => DpDomainFitter.RoleOf(c) == DpColumnRole.Numbers && (c.Min is null || c.Max is null)
                || DpDomainFitter.RoleOf(c) == DpColumnRole.Labels && c.Categories is null && c.Kind != ColumnKind.Boolean);
            throw new TabTwinException("dp.domain-needed",
                $"Column '{column.Name}' declares no public {(DpDomainFitter.RoleOf(column) == DpColumnRole.Numbers ? "bounds (min/max)" : "categories")} and no budget share is left to find them (DomainShare = 0).",
                column: column.Name, hint: "Declare them in the metadata, or give DomainShare > 0.");
        }
        double rhoTotal = accountant.TotalRho;
        // A share of δ pays for releasing category values (it must be spent before the conversion uses the rest).
        double deltaDomain = selections > 0 || table.Columns.Any(c => c is DateTimeColumn { HasOffset: true }) ? Options.Delta / 4 : 0;
        double rhoDomain = needsDomain ? Options.DomainShare * rhoTotal : 0;
        var seed = context.Seed;
        context.Progress?.Report(new StepProgress("public domains", 0));
        var domains = DpDomainFitter.Fit(table, schema, accountant, rhoDomain, deltaDomain, seed);
        var modelled = Enumerable.Range(0, domains.Length).Where(j => domains[j].IsModelled).ToArray();
        var fine = new DiscreteTable(
            [.. modelled.Select(j => domains[j].Name)],
            [.. modelled.Select(j => domains[j].Size)],
            [.. modelled.Select(j => domains[j].Encode(table[j]))]);
        double rhoLearner = accountant.RemainingRho;
        CheckWorkable(fine, rhoLearner, rhoTotal, accountant);
        var ordered = modelled.Select(j => domains[j].Role == DpColumnRole.Numbers).ToArray();
        var missing = modelled.Select(j => domains[j].MissingCode).ToArray();
        MarginalFit fit;
        if (fine.ColumnCount == 0) fit = new MarginalFit([], null, []);   // only keys and personal data: nothing is read
        else if (Method == DpMarginalMethod.Mst)
            fit = MstLearner.Fit(fine, ordered, missing, accountant, rhoLearner, seed, context.Progress, context.Cancel);
        else
        {
            int target = Options.Target is { } t ? Array.IndexOf(fine.Names.ToArray(), t) : -1;
            if (Options.Target is not null && target < 0)
                throw new TabTwinException("dp.unknown-target", $"The target column '{Options.Target}' is not a modelled column of the table.",
                    column: Options.Target, hint: $"Name one of: {string.Join(", ", fine.Names)}.");
            fit = AimLearner.Fit(fine, ordered, missing, accountant, rhoLearner, target, Options, seed, context.Progress, context.Cancel);
        }
        return new DpMarginalModel(Name, schema, Options, domains, fit, [.. accountant.Ledger]);
    }

    /// <summary>
    /// Refuses a budget whose one-way counts would be noise: the learner spends a third of its ρ on d one-way
    /// measurements, σ = √(3d / 2ρ); past a tenth of the row count no column's shape survives.
    /// </summary>
    private void CheckWorkable(DiscreteTable fine, double rhoLearner, double rhoTotal, PrivacyAccountant accountant)
    {
        int d = Math.Max(1, fine.ColumnCount);
        double needed = 3 * d / (2 * Math.Pow(fine.RowCount / 10.0, 2));   // ρ the learner needs for σ = n/10
        if (rhoLearner >= needed) return;
        double scale = rhoTotal / Math.Max(rhoLearner, 1e-300);           // the learner gets this share of the total
        double smallest = PrivacyConversion.Epsilon(needed * Math.Min(scale, 1e6), Options.Delta);
        throw new TabTwinException("dp.budget-too-small",
            $"ε = {Options.Epsilon:G3} is too small for {fine.RowCount:N0} rows and {d} columns: the noise on each column's counts " +
            $"(σ ≈ {Math.Sqrt(3 * d / (2 * Math.Max(rhoLearner, 1e-300))):G3}) would exceed a tenth of the rows. Spent so far: ε ≈ {accountant.SpentEpsilon:G3}.",
            hint: $"Use --epsilon {Math.Ceiling(smallest * 100) / 100:G3} or more, fewer columns, or more rows.");
    }
}
