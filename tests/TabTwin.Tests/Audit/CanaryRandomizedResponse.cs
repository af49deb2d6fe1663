using TabTwin.Bundles;
using TabTwin.Evaluation.Audit;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Tests.Audit;

/// <summary>
/// Test-only mechanism: randomized response on each canary's presence. For every canary of the audit (the same
/// deterministic canaries <see cref="PrivacyAudit"/> plants for this table, options and seed; public in the audit game,
/// like the real rows, which are the same in every neighbouring world) it releases the bit "this record is in the training
/// table", flipped with probability 1/(1 + e^(1/b)) for noise scale b, and outputs the records whose released bit is 1
/// (repeated to the requested row count). Adding or removing one row changes at most one bit, so the mechanism is
/// (1/b)-DP: b = 1/ε is a correct ε-DP mechanism and the extremal one for a yes/no release — a one-run audit of it
/// is as tight as one can be. Halving b doubles its real ε while the claim stays ε: a broken implementation.
/// </summary>
internal sealed class CanaryRandomizedResponse(Table canaries, double claimedEpsilon, double noiseScale) : ISynthesizer, IDifferentiallyPrivate
{
    public string Name => "test-canary-randomized-response";
    public double Epsilon => claimedEpsilon;
    public double Delta => 0;

    /// <summary>The canaries <see cref="PrivacyAudit.Run"/> will plant for this table and options.</summary>
    public static Table CanariesFor(Table real, TableSchema schema, AuditOptions options) =>
        AuditCanaries.Create(real, schema, options.Canaries, options.Seed);

    public ISynthesizerModel Fit(Table table, TableSchema schema, FitContext context)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < table.RowCount; i++) present.Add(Key(table, i));
        double truth = Math.Exp(1 / noiseScale) / (1 + Math.Exp(1 / noiseScale));
        var rng = SeededRandom.For(context.Seed, 11);
        var released = new List<int>();
        for (int i = 0; i < canaries.RowCount; i++)
        {
            bool bit = present.Contains(Key(canaries, i));
            if (rng.NextBernoulli(truth) ? bit : !bit) released.Add(i);
        }
        return new Model(released.Count > 0 ? canaries.Take(released.ToArray()) : canaries.Take([0]), schema, Name);
    }

    private static string Key(Table table, int row) => string.Join('\u001f', table.Columns.Select(c => c.FormatValue(row) ?? "\u0000"));

    private sealed class Model(Table released, TableSchema schema, string name) : ISynthesizerModel
    {
        public string SynthesizerName => name;
        public TableSchema Schema => schema;
        public Table Sample(int rows, ulong seed, SampleContext? context = null) =>
            released.Take(Enumerable.Range(0, rows).Select(i => i % released.RowCount).ToArray());
        public void Write(ModelBundleWriter bundle) => throw new NotSupportedException("A test mechanism is never saved.");
    }
}
