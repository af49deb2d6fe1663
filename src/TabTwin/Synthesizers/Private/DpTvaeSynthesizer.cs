using System.Text.Json;
using TabTwin.Bundles;
using TabTwin.DifferentialPrivacy;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Private;

/// <summary>Options of <c>dp-tvae</c>: the guarantee, the domain share, and DP-SGD's training settings.</summary>
public sealed record DpTvaeSynthesizerOptions
{
    /// <summary>The ε of the (ε, δ)-DP guarantee of the whole fit.</summary>
    public double Epsilon { get; init; } = 1;
    /// <summary>The δ of the guarantee; must be below 1 / rows.</summary>
    public double Delta { get; init; } = 1e-9;
    /// <summary>Share of the budget for what the metadata does not declare (ranges, released values); see <see cref="DpMarginalOptions.DomainShare"/>.</summary>
    public double DomainShare { get; init; } = 0.25;
    /// <summary>DP-SGD's settings (network, epochs, batch, clipping); the noise follows from the budget left.</summary>
    public DpTvaeOptions Training { get; init; } = new();

    internal void Check()
    {
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon)) throw new ArgumentException($"Epsilon must be a finite number greater than 0 (got {Epsilon}).");
        if (!(Delta > 0 && Delta < 1)) throw new ArgumentException($"Delta must be greater than 0 and less than 1 (got {Delta}).");
        if (!(DomainShare is >= 0 and < 1)) throw new ArgumentException($"DomainShare must be in [0, 1) (got {DomainShare}).");
        ArgumentNullException.ThrowIfNull(Training);
        Training.Check();
    }
}

/// <summary>
/// DP-TVAE: the public domains of <see cref="DpFitSetup"/>, then a TVAE over the coded columns trained with DP-SGD
/// (per-example clipping, Poisson sampling, Gaussian noise; its Rényi curve charged to the same accountant with
/// whatever budget the domains left). The DP option for tables whose structure is not a few pairs of columns.
/// </summary>
public sealed class DpTvaeSynthesizer : ISynthesizer, IDifferentiallyPrivate
{
    public const string RegistryName = "dp-tvae";

    public DpTvaeSynthesizer(DpTvaeSynthesizerOptions? options = null) => Options = options ?? new DpTvaeSynthesizerOptions();

    public DpTvaeSynthesizerOptions Options { get; }
    public string Name => RegistryName;
    public int MinimumRows => 100;
    public double Epsilon => Options.Epsilon;
    public double Delta => Options.Delta;

    internal static ISynthesizer Create(JsonElement? options) =>
        new DpTvaeSynthesizer(SynthesizerJson.ReadOptions<DpTvaeSynthesizerOptions>(RegistryName, options, o => o.Check()));

    ISynthesizerModel ISynthesizer.Fit(Table table, TableSchema schema, FitContext context) => Fit(table, schema, context);

    public DpTvaeModel Fit(Table table, TableSchema schema, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Options.Check();
        var (accountant, domains, fine) = DpFitSetup.Prepare(this, table, schema, Options.Epsilon, Options.Delta, Options.DomainShare, context);
        var network = fine.ColumnCount == 0 ? null
            : DpTvaeTrainer.Fit(fine, accountant, Options.Training with { MaxThreads = Options.Training.MaxThreads ?? context.MaxThreads },
                context.Seed, context.Progress, context.Cancel, context.MaxThreads);
        return new DpTvaeModel(schema, Options, domains, network, [.. accountant.Ledger]);
    }
}

/// <summary>A fitted DP-TVAE: public domains, the trained decoder, and the privacy ledger. Immutable; sampling is thread-safe.</summary>
public sealed class DpTvaeModel : ISynthesizerModel, IPrivacyLedger
{
    private const string Entry = "dp-tvae";

    internal DpTvaeModel(TableSchema schema, DpTvaeSynthesizerOptions options, DpColumnDomain[] domains, DpTvaeNetwork? network, IReadOnlyList<PrivacyCharge> ledger)
    {
        Schema = schema;
        Options = options;
        Domains = domains;
        Network = network;
        Ledger = ledger;
    }

    public string SynthesizerName => DpTvaeSynthesizer.RegistryName;
    public TableSchema Schema { get; }
    public DpTvaeSynthesizerOptions Options { get; }
    internal DpColumnDomain[] Domains { get; }
    internal DpTvaeNetwork? Network { get; }
    public IReadOnlyList<PrivacyCharge> Ledger { get; }
    public double Epsilon => Options.Epsilon;
    public double Delta => Options.Delta;
    public double SpentEpsilon => PrivacyAccountant.EpsilonOfLedger(Ledger, Delta);

    public Table Sample(int rows, ulong seed, SampleContext? context = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        context ??= new SampleContext();
        var codes = Network?.Sample(rows, Randomness.SeededRandom.Derive(seed, 1), context.MaxThreads, context.Cancel);
        return DpFitSetup.Assemble(Domains, m => codes![m], rows, seed, context.Cancel);
    }

    public void Write(ModelBundleWriter bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        bundle.WriteJson(Entry, new Header(Options, Schema, Domains, [.. Ledger], Network is not null), SynthesizerJson.Options);
        Network?.Write(bundle, Entry + ".network");
    }

    internal static DpTvaeModel Read(ModelBundleReader bundle)
    {
        var h = bundle.ReadJson<Header>(Entry, SynthesizerJson.Options);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{Entry}': {what}.", bundle.File);
        if (h.Options is null || h.Schema is null || h.Domains is null || h.Ledger is null) throw Bad("a part is missing");
        if (DpColumnDomain.ProblemOf(h.Domains) is { } problem) throw Bad(problem);
        var sizes = h.Domains.Where(d => d.IsModelled).Select(d => d.Size).ToArray();
        if (h.HasNetwork != sizes.Length > 0) throw Bad("its network does not match its columns");
        var network = h.HasNetwork ? DpTvaeNetwork.Read(bundle, Entry + ".network", sizes) : null;
        return new DpTvaeModel(h.Schema, h.Options, h.Domains, network, h.Ledger);
    }

    private sealed record Header(DpTvaeSynthesizerOptions Options, TableSchema Schema, DpColumnDomain[] Domains, PrivacyCharge[] Ledger, bool HasNetwork);
}
