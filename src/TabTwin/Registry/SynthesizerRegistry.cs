using System.Collections.Immutable;
using System.Text.Json;
using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.Ctgan;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Synthesizers.Independent;
using TabTwin.Synthesizers.Tvae;
using TabTwin.Synthesizers.Private;
using TabTwin.Bundles;
using TabTwin.Sampling.Constraints;
using TabTwin.Synthesizers;

namespace TabTwin.Registry;

// This file is the composition root of the synthesizers: the only place that names every synthesizer folder and the
// constraints wrapper from Sampling/, which is why it is a layer of its own above both. The constraints wrapper gets the
// registry's lookups passed in, so Sampling never names the registry.

/// <summary>
/// One registered synthesizer: its name, a one-line description, a factory from options JSON (null = defaults)
/// and the reader that rebuilds a fitted model from a model file's bundle.
/// </summary>
public sealed record SynthesizerEntry(
    string Name,
    string Description,
    Func<JsonElement?, ISynthesizer> Create,
    Func<ModelBundleReader, ISynthesizerModel> Read);

/// <summary>
/// The fixed table from synthesizer names to factories. Model files name a synthesizer; loading looks the name
/// up here and nowhere else, so a file can never make TabTwin load a type of its choosing.
/// Adding a synthesizer = one line here + one line in the contract test cases.
/// </summary>
public static class SynthesizerRegistry
{
    public static ImmutableArray<SynthesizerEntry> All { get; } =
    [
        new("independent", "Baseline: samples every column independently from its smoothed empirical distribution (no correlations).",
            IndependentSynthesizer.Create, IndependentModel.Read),
        new(GaussianCopulaSynthesizer.RegistryName, "Gaussian copula: best-fit marginal per column (parametric or smoothed empirical) joined by a correlation of normal scores.",
            GaussianCopulaSynthesizer.Create, GaussianCopulaModel.Read),
        new(CartSynthesizer.RegistryName, "Sequential CART (synthpop-style): each column drawn from a decision tree on the columns before it; rare categories, small leaves and extremes protected.",
            CartSynthesizer.Create, CartModel.Read),
        new(ConstrainedSynthesizer.RegistryName, "Constraints wrapper: makes an inner synthesizer (options: inner, innerOptions, constraints) honour business rules; added automatically when the metadata has constraints.",
            json => ConstrainedSynthesizer.Create(json, (inner, options) => Get(inner).Create(options)),
            bundle => ConstrainedModel.Read(bundle, inner => TryGet(inner, out var entry) ? entry.Read : null)),
        new(TvaeSynthesizer.RegistryName, "TVAE (Xu et al. 2019): variational autoencoder over mode-specific normalised columns; strong on mixed numeric/categorical tables, trains for epochs.",
            TvaeSynthesizer.Create, TvaeModel.Read),
        new(CtganSynthesizer.RegistryName, "CTGAN (Xu et al. 2019): conditional GAN with training-by-sampling over mode-specific normalised columns; learns rare categories, trains for epochs (slower than TVAE).",
            CtganSynthesizer.Create, CtganModel.Read),
        new(DpMarginalSynthesizer.MstName, "MST (McKenna et al. 2021): (ε, δ)-differentially private; noisy one-way counts and a spanning tree of noisy pair counts, joined by a graphical model (Private-PGM). Fast; options: epsilon, delta.",
            json => DpMarginalSynthesizer.Create(DpMarginalMethod.Mst, json), bundle => DpMarginalModel.Read(bundle, DpMarginalSynthesizer.MstName)),
        new(DpMarginalSynthesizer.AimName, "AIM (McKenna et al. 2022): (ε, δ)-differentially private; picks the marginals a workload of all pairs needs most, with budget annealing. Best DP quality; options: epsilon, delta, target.",
            json => DpMarginalSynthesizer.Create(DpMarginalMethod.Aim, json), bundle => DpMarginalModel.Read(bundle, DpMarginalSynthesizer.AimName)),
        new(DpTvaeSynthesizer.RegistryName, "DP-TVAE: (ε, δ)-differentially private; TVAE over the coded columns trained with DP-SGD (per-example clipping, Poisson sampling, Gaussian noise). Options: epsilon, delta, training.",
            DpTvaeSynthesizer.Create, DpTvaeModel.Read),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(e => e.Name).ToArray();

    /// <summary>The entry named <paramref name="name"/> (case-insensitive); unknown names throw <c>synthesizer.unknown</c> listing the known ones.</summary>
    public static SynthesizerEntry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(name, out var entry) ? entry
            : throw new TabTwinException("synthesizer.unknown",
                $"There is no synthesizer named '{name}'; the known ones are: {string.Join(", ", Names)}.",
                hint: $"Use one of: {string.Join(", ", Names)}.");
    }

    public static bool TryGet(string name, out SynthesizerEntry entry)
    {
        entry = All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return entry is not null;
    }
}
