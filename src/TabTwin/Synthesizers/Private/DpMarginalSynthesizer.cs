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
        ArgumentNullException.ThrowIfNull(context);
        Options.Check();
        var prepared = DpFitSetup.Prepare(this, table, schema, Options.Epsilon, Options.Delta, Options.DomainShare, context);
        var (accountant, domains, fine) = prepared;
        double rhoLearner = accountant.RemainingRho;
        var seed = context.Seed;
        MarginalFit fit;
        if (fine.ColumnCount == 0) fit = new MarginalFit([], null, []);   // only keys and personal data: nothing is read
        else if (Method == DpMarginalMethod.Mst)
            fit = MstLearner.Fit(fine, prepared.Ordered, prepared.MissingCodes, accountant, rhoLearner, seed, context.Progress, context.Cancel);
        else
        {
            int target = Options.Target is { } t ? Array.IndexOf(fine.Names.ToArray(), t) : -1;
            if (Options.Target is not null && target < 0)
                throw new TabTwinException("dp.unknown-target", $"The target column '{Options.Target}' is not a modelled column of the table.",
                    column: Options.Target, hint: $"Name one of: {string.Join(", ", fine.Names)}.");
            fit = AimLearner.Fit(fine, prepared.Ordered, prepared.MissingCodes, accountant, rhoLearner, target, Options, seed, context.Progress, context.Cancel);
        }
        return new DpMarginalModel(Name, schema, Options, domains, fit, [.. accountant.Ledger]);
    }
}
