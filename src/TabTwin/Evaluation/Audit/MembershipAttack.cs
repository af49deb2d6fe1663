using TabTwin.Evaluation.Privacy;
using TabTwin.Randomness;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Audit;

/// <summary>
/// The black-box membership attack of the audit: it sees the synthetic table, the canaries and the real rows (fixed
/// and known in the audit game), never which canaries were included. Each canary's score is
/// <code>score = 1 − d_synthetic / d_real</code>
/// under <see cref="MixedDistance"/> (scales fitted on the real rows): d_synthetic is the distance from the canary to its
/// nearest synthetic row, d_real to its nearest real row (&gt; 0: canaries differ from every real row). A model that
/// learned a canary pulls synthetic rows towards it beyond what its resemblance to real rows explains, so the score
/// rises; an exact copy scores 1, the maximum. Dividing by d_real puts canaries of different typicality on one scale
/// (an unusual canary is far from everything, learned or not). Exact copies — the strongest evidence a generic black-box
/// attacker has — always rank first.
/// </summary>
internal static class MembershipAttack
{
    public static double[] Scores(Table real, Table canaries, Table synthetic, TableSchema schema, int maxThreads)
    {
        var distance = MixedDistance.Fit(real, schema);
        var realRows = distance.Encode(real);
        var canaryRows = distance.Encode(canaries);
        var syntheticRows = distance.Encode(synthetic);
        var toSynthetic = NearestNeighbours.Find(canaryRows, syntheticRows, maxThreads).Nearest;
        var toReal = NearestNeighbours.Find(canaryRows, realRows, maxThreads).Nearest;
        var scores = new double[canaries.RowCount];
        for (int i = 0; i < scores.Length; i++)
            scores[i] = toSynthetic[i] == 0 ? 1 : 1 - toSynthetic[i] / Math.Max(toReal[i], 1e-9);
        return scores;
    }

    /// <summary>
    /// Canary indices from the highest score to the lowest. Ties (every exact copy scores 1) are broken by a seeded random
    /// order, which does not depend on who was included, so the guesses stay a function of the output alone.
    /// </summary>
    public static int[] Ranking(double[] scores, ulong seed)
    {
        var tieBreak = new double[scores.Length];
        var rng = SeededRandom.For(seed, 0x7133);
        for (int i = 0; i < tieBreak.Length; i++) tieBreak[i] = rng.NextDouble();
        var order = Enumerable.Range(0, scores.Length).ToArray();
        Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : tieBreak[a].CompareTo(tieBreak[b]));
        return order;
    }
}
