using TabTwin.Synthesizers.Cart;
using TabTwin.Synthesizers.Ctgan;
using TabTwin.Synthesizers.GaussianCopula;
using TabTwin.Synthesizers.Independent;
using TabTwin.Synthesizers.Tvae;

namespace TabTwin.Synthesizers;

/// <summary>Discoverable factories for every synthesizer (type <c>SynthesizerCatalog.</c> to see them).</summary>
public static class SynthesizerCatalog
{
    /// <summary>The independent-marginals baseline (see <see cref="IndependentSynthesizer"/>).</summary>
    public static IndependentSynthesizer Independent(IndependentOptions? options = null) => new(options);

    /// <summary>The Gaussian copula (see <see cref="GaussianCopulaSynthesizer"/>).</summary>
    public static GaussianCopulaSynthesizer GaussianCopula(GaussianCopulaOptions? options = null) => new(options);

    /// <summary>The sequential CART synthesizer (see <see cref="CartSynthesizer"/>).</summary>
    public static CartSynthesizer Cart(CartOptions? options = null) => new(options);

    /// <summary>TVAE, the variational autoencoder of Xu et al. 2019 (see <see cref="TvaeSynthesizer"/>).</summary>
    public static TvaeSynthesizer Tvae(TvaeOptions? options = null) => new(options);

    /// <summary>CTGAN, the conditional tabular GAN (see <see cref="CtganSynthesizer"/>).</summary>
    public static CtganSynthesizer Ctgan(CtganOptions? options = null) => new(options);
}
