using TabTwin.Bundles;
using TabTwin.DifferentialPrivacy;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.Private;

/// <summary>
/// A fitted marginal-based DP model: public column domains, their compressions, and a graphical model over the
/// compressed codes, plus the privacy ledger of the fit. Sampling is post-processing: it never touches the data and
/// costs no budget, however many rows are drawn. Immutable; <see cref="Sample"/> is thread-safe and deterministic.
/// </summary>
public sealed class DpMarginalModel : ISynthesizerModel, IPrivacyLedger
{
    private const string Entry = "dp-marginal";
    private const int MaxCells = 50_000_000;

    internal DpMarginalModel(string name, TableSchema schema, DpMarginalOptions options, DpColumnDomain[] domains,
        MarginalFit fit, IReadOnlyList<PrivacyCharge> ledger)
    {
        SynthesizerName = name;
        Schema = schema;
        Options = options;
        Domains = domains;
        Fit = fit;
        Ledger = ledger;
    }

    public string SynthesizerName { get; }
    public TableSchema Schema { get; }
    public DpMarginalOptions Options { get; }
    internal DpColumnDomain[] Domains { get; }
    internal MarginalFit Fit { get; }
    /// <summary>Every access the fit made to the data, with its mechanism and cost.</summary>
    public IReadOnlyList<PrivacyCharge> Ledger { get; }
    /// <summary>The promised ε.</summary>
    public double Epsilon => Options.Epsilon;
    /// <summary>The promised δ.</summary>
    public double Delta => Options.Delta;
    /// <summary>The ε the ledger adds up to at <see cref="Delta"/> (never above <see cref="Epsilon"/>).</summary>
    public double SpentEpsilon => PrivacyAccountant.EpsilonOfLedger(Ledger, Delta);

    public Table Sample(int rows, ulong seed, SampleContext? context = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        context ??= new SampleContext();
        var compressed = Fit.Model?.Sample(rows, SeededRandom.Derive(seed, 1), context.Cancel);
        var table = DpFitSetup.Assemble(Domains, m => Fit.Compressions[m].Expand(compressed![m], SeededRandom.Derive(seed, 2, (ulong)m)), rows, seed, context.Cancel);
        context.Progress?.Report(new StepProgress("sample", 1));
        return table;
    }

    public void Write(ModelBundleWriter bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var header = new Header(Options, Schema, Domains, [.. Fit.Measured.Select(c => c.Variables)],
            [.. Fit.Compressions.Select(c => c.Members)], Fit.Model?.Total ?? 0, [.. Ledger]);
        bundle.WriteJson(Entry, header, SynthesizerJson.Options);
        // A group of one code decodes to it whatever its weight: only groups of several codes store their weights (AIM keeps
        // every code apart, and a file of one entry per code would pass the model-file entry limit on wide domains).
        for (int j = 0; j < Fit.Compressions.Length; j++)
            for (int g = 0; g < Fit.Compressions[j].Size; g++)
                if (Fit.Compressions[j].Members[g].Length > 1) bundle.WriteArray($"{Entry}.c{j}.{g}", Fit.Compressions[j].Cumulative[g]);
        if (Fit.Model is { } model)
            for (int k = 0; k < model.Potentials.Length; k++) bundle.WriteArray($"{Entry}.node{k}", model.Potentials[k]);
    }

    internal static DpMarginalModel Read(ModelBundleReader bundle, string name)
    {
        var h = bundle.ReadJson<Header>(Entry, SynthesizerJson.Options);
        ModelFileException Bad(string what) => new("model.bad-entry", $"Model entry '{Entry}': {what}.", bundle.File);
        if (h.Options is null || h.Schema is null || h.Domains is null || h.Measured is null || h.Groups is null || h.Ledger is null)
            throw Bad("a part is missing");
        if (DpColumnDomain.ProblemOf(h.Domains) is { } problem) throw Bad(problem);
        var modelled = h.Domains.Where(d => d.IsModelled).ToArray();
        if (h.Groups.Length != modelled.Length) throw Bad("its compressions do not match its columns");
        var compressions = new DomainCompression[modelled.Length];
        for (int j = 0; j < modelled.Length; j++)
        {
            if (h.Groups[j] is not { Length: > 0 } groups || groups.Length > modelled[j].Size) throw Bad($"column '{modelled[j].Name}' has no valid groups");
            var cumulative = groups.Select((members, g) => members?.Length == 1 && !bundle.HasEntry($"{Entry}.c{j}.{g}") ? [1.0]
                : bundle.ReadDoubles($"{Entry}.c{j}.{g}", modelled[j].Size)).ToArray();
            compressions[j] = DomainCompression.TryRestore(modelled[j].Size, groups, cumulative)
                ?? throw Bad($"column '{modelled[j].Name}' has groups that are not a partition of its codes");
        }
        GraphicalModel? model = null;
        if (modelled.Length > 0)
        {
            var sizes = compressions.Select(c => c.Size).ToArray();
            if (h.Measured.Any(v => v is null || v.Length == 0 || v.Any(x => (uint)x >= (uint)sizes.Length)))
                throw Bad("a measured clique names a column that does not exist");
            if (h.Measured.Sum(v => Clique.CellCount(v, sizes)) > MaxCells) throw Bad("its model is larger than any TabTwin writes");
            var tree = new JunctionTree(sizes, h.Measured.Select(v => new Clique(v, sizes)));
            if (tree.TotalCells > MaxCells) throw Bad("its model is larger than any TabTwin writes");
            var potentials = tree.Nodes.Select((c, k) => bundle.ReadDoubles($"{Entry}.node{k}", c.Cells)).ToArray();
            if (potentials.Where((p, k) => p.Length != tree.Nodes[k].Cells || p.Any(x => !double.IsFinite(x))).Any())
                throw Bad("its potentials do not fit its model");
            if (!(h.Total > 0) || double.IsInfinity(h.Total)) throw Bad("its row total is not a positive number");
            model = new GraphicalModel(tree, potentials, h.Total);
        }
        var compressedSizes = compressions.Select(c => c.Size).ToArray();
        var fit = new MarginalFit(compressions, model, [.. h.Measured.Select(v => new Clique(v, compressedSizes))]);
        return new DpMarginalModel(name, h.Schema, h.Options, h.Domains, fit, h.Ledger);
    }

    private sealed record Header(DpMarginalOptions Options, TableSchema Schema, DpColumnDomain[] Domains, int[][] Measured,
        int[][][] Groups, double Total, PrivacyCharge[] Ledger);
}
