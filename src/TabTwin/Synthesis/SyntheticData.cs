using TabTwin.Sampling.Constraints;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;

namespace TabTwin.Synthesis;

/// <summary>
/// The common case in one call: learn a real table with the default synthesizer (CART, privacy rules on) and sample a
/// synthetic one. The schema is detected unless given; constraints a given schema declares are honoured (without any,
/// the structures detected in the data: one-hot groups, dates split into parts, as the CLI does). Deterministic:
/// the same table, rows and seed give byte-identical output on any machine and thread count.
/// </summary>
public static class SyntheticData
{
    /// <summary>The seed of the short overloads (<see cref="SynthesisExtensions.Sample"/>, <see cref="Synthesize(Table, int, ulong)"/>).</summary>
    public const ulong DefaultSeed = 0;

    /// <summary><paramref name="rows"/> synthetic rows shaped like <paramref name="real"/>, its schema detected.</summary>
    public static Table Synthesize(Table real, int rows, ulong seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(real);
        return Synthesize(real, rows, SchemaDetector.Detect(real), seed);
    }

    /// <summary>
    /// <paramref name="rows"/> synthetic rows shaped like <paramref name="real"/> under <paramref name="schema"/> (its constraints included),
    /// from the model <see cref="Fit"/> returns.
    /// </summary>
    public static Table Synthesize(Table real, int rows, TableSchema schema, ulong seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        return Fit(real, schema, seed).Model.Sample(rows, seed);
    }

    /// <summary>
    /// The default CART model of <paramref name="real"/> under <paramref name="schema"/> (its constraints, or the structures detected in
    /// the data when it declares none, as the CLI's fit and run), fitted after the privacy check (<see cref="Synthesis.PrivacyCheck"/>:
    /// protection raised until a held-out slice shows synthetic rows no nearer to the training rows than to unseen ones), and what the
    /// check did (null when it was off with <see cref="PrivacyCheckOptions.Off"/> or could not run).
    /// </summary>
    public static (ISynthesizerModel Model, PrivacyCheckResult? PrivacyCheck) Fit(Table real, TableSchema schema, ulong seed = DefaultSeed,
        PrivacyCheckOptions? privacyCheck = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(schema);
        var (model, _, check) = Synthesis.PrivacyCheck.Fit(new CartSynthesizer(), real, schema, new FitContext(seed), StructureDetector.ForFit(real, schema), privacyCheck);
        return (model, check);
    }
}

/// <summary>The short forms of fit and sample: the schema detected, default context, default seed.</summary>
public static class SynthesisExtensions
{
    /// <summary>Fits on <paramref name="table"/> with its detected schema and a default context (seed 0, all cores).</summary>
    public static ISynthesizerModel Fit(this ISynthesizer synthesizer, Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return synthesizer.Fit(table, SchemaDetector.Detect(table));
    }

    /// <summary>Fits on <paramref name="table"/> under <paramref name="schema"/>, honouring the constraints it declares.</summary>
    public static ISynthesizerModel Fit(this ISynthesizer synthesizer, Table table, TableSchema schema) =>
        SchemaConstraints.Fit(synthesizer, table, schema, new FitContext(SyntheticData.DefaultSeed)).Model;

    /// <summary>Exactly <paramref name="rows"/> rows drawn with <see cref="SyntheticData.DefaultSeed"/>; thread-safe, byte-identical on every call.</summary>
    public static Table Sample(this ISynthesizerModel model, int rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Sample(rows, SyntheticData.DefaultSeed);
    }
}
