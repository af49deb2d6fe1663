namespace TabTwin.Synthesizers;

/// <summary>
/// A synthesizer whose privacy protection can be raised in steps (CART: larger minimum leaves), so that a fit can check
/// itself on a held-out slice and tighten until synthetic rows sit no nearer to the training rows than to unseen ones
/// (see <c>TabTwin.Synthesis.PrivacyCheck</c>).
/// </summary>
public interface IProtectionTunable : ISynthesizer
{
    /// <summary>Whether its privacy rules are on; with them off (the user's choice for non-sensitive data) nothing is tightened.</summary>
    bool ProtectsPrivacy { get; }

    /// <summary>The current protection level: 1 is the defaults, larger protects more.</summary>
    double ProtectionLevel { get; }

    /// <summary>The same synthesizer at protection level <paramref name="level"/> (≥ 1); every other option kept.</summary>
    ISynthesizer WithProtectionLevel(double level);
}
