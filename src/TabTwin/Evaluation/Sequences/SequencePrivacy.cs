using System.Text;
using TabTwin.Evaluation.Privacy;
using TabTwin.Randomness;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Sequences;

/// <summary>
/// How much of the real histories a candidate table (synthetic, or the holdout as a baseline) repeats verbatim.
/// <see cref="ReproducedSequences"/>: candidate entities of at least <see cref="RunLength"/> steps whose whole history
/// equals a real entity's. <see cref="ReproducedRuns"/>: positions t of candidate entities where steps t … t+R−1
/// equal R consecutive steps of some real entity (any run of ≥ R identical steps shows up as at least one).
/// <see cref="EntitiesWithReproducedRun"/>: candidate entities holding at least one such run. Steps are equal when every
/// step column (as text; missing equals missing) and the gap from the step before agree; entity ids, absolute dates
/// and context are ignored, so a copied history moved in time or given a new id still counts. Short histories are left
/// out of <see cref="ReproducedSequences"/> because they recur naturally (thousands of real customers bought one CD once
/// for the same price). All 0 ideal.
/// </summary>
public sealed record ReproductionCounts(int ReproducedSequences, int ReproducedRuns, int EntitiesWithReproducedRun, int CandidateEntities, int RunLength);

/// <summary>Entity-level privacy: verbatim reproduction (hash-based) and the distance-to-closest-record share on per-entity features.</summary>
internal static class SequencePrivacy
{
    /// <summary>
    /// Counts the reproductions of <paramref name="real"/>'s histories in <paramref name="candidates"/>. Steps and runs are
    /// compared by 64-bit hashes (<see cref="StableHash"/> of the step's text, chained with <see cref="SeededRandom.Derive(ulong, ulong)"/>);
    /// a false match needs a 64-bit collision.
    /// </summary>
    public static ReproductionCounts Reproduction(SequenceData real, SequenceData candidates, IReadOnlyList<string> stepColumns, int runLength)
    {
        var realRuns = new HashSet<ulong>();
        var realWhole = new HashSet<ulong>();
        for (int e = 0; e < real.Count; e++)
        {
            var steps = StepHashes(real, e, stepColumns);
            foreach (var h in RunHashes(steps, runLength)) realRuns.Add(h);
            if (steps.Values.Length >= runLength) realWhole.Add(Chain(steps, 0, steps.Values.Length));
        }
        int sequences = 0, runs = 0, entities = 0;
        for (int e = 0; e < candidates.Count; e++)
        {
            var steps = StepHashes(candidates, e, stepColumns);
            int found = RunHashes(steps, runLength).Count(realRuns.Contains);
            runs += found;
            if (found > 0) entities++;
            if (steps.Values.Length >= runLength && realWhole.Contains(Chain(steps, 0, steps.Values.Length))) sequences++;
        }
        return new ReproductionCounts(sequences, runs, entities, candidates.Count, runLength);
    }

    /// <summary>Per step, the hash of its step columns' text and the bits of the gap from the previous step (0 for the first).</summary>
    private static (ulong[] Values, ulong[] Gaps) StepHashes(SequenceData data, int entity, IReadOnlyList<string> stepColumns)
    {
        var columns = stepColumns.Select(c => data.Table.TryGetColumn(c, out var column) ? column : null).ToArray();
        var rows = data.Layout.StepsOf(data.Entities[entity]);
        var order = data.Order[entity];
        var values = new ulong[rows.Length];
        var gaps = new ulong[rows.Length];
        var text = new StringBuilder();
        for (int t = 0; t < rows.Length; t++)
        {
            text.Clear();
            foreach (var c in columns) text.Append(c?.FormatValue(rows[t]) ?? "\0").Append('\u001f');
            values[t] = StableHash.Of(text.ToString());
            if (t > 0) gaps[t] = (ulong)BitConverter.DoubleToInt64Bits(order[t] - order[t - 1]);
        }
        return (values, gaps);
    }

    /// <summary>The hash of every run of <paramref name="length"/> consecutive steps.</summary>
    private static IEnumerable<ulong> RunHashes((ulong[] Values, ulong[] Gaps) steps, int length)
    {
        for (int t = 0; t + length <= steps.Values.Length; t++) yield return Chain(steps, t, length);
    }

    /// <summary>Steps start … start+length−1 with the gaps between them (not the gap into the first: a run is the same wherever it starts).</summary>
    private static ulong Chain((ulong[] Values, ulong[] Gaps) steps, int start, int length)
    {
        ulong h = SeededRandom.Derive((ulong)length, steps.Values[start]);
        for (int t = start + 1; t < start + length; t++) h = SeededRandom.Derive(SeededRandom.Derive(h, steps.Gaps[t]), steps.Values[t]);
        return h;
    }

    /// <summary>
    /// Entity-level DCR share: whole entities as <see cref="EntityFeatures"/> vectors; equal-size seeded samples of the
    /// training and holdout entities (at most <paramref name="cap"/> each) and at most <paramref name="cap"/> synthetic
    /// entities; each synthetic entity's nearest training and nearest holdout entity under <see cref="MixedDistance"/>
    /// (scales fitted on the training vectors); the share closer to training, ties ½ (<see cref="DcrShare"/>). 0.5 ideal.
    /// </summary>
    public static ProportionEstimate EntityDcrShare(EntityFeatures features, SequenceData training, SequenceData holdout, SequenceData synthetic,
        int cap, ulong seed, int maxThreads)
    {
        int perSide = Math.Min(Math.Min(training.Count, holdout.Count), cap);
        float[][] Vectors(SequenceData data, int count, ulong stream)
        {
            var units = EntityFeatures.WholeEntities(data);
            return features.Transform(data, EvaluationStatistics.SampleRows(units.Length, count, seed, stream).Select(i => units[i]).ToArray());
        }
        var (trainTable, schema) = EntityFeatures.AsTable(Vectors(training, perSide, 61), features.Width);
        var (holdoutTable, _) = EntityFeatures.AsTable(Vectors(holdout, perSide, 62), features.Width);
        var (syntheticTable, _) = EntityFeatures.AsTable(Vectors(synthetic, Math.Min(synthetic.Count, cap), 63), features.Width);
        var distance = MixedDistance.Fit(trainTable, schema);
        var train = distance.Encode(trainTable);
        var held = distance.Encode(holdoutTable);
        var queries = distance.Encode(syntheticTable);
        var toTraining = NearestNeighbours.Find(queries, train, maxThreads).Nearest;
        var toHoldout = NearestNeighbours.Find(queries, held, maxThreads).Nearest;
        return DcrShare.FromDistances(toTraining, toHoldout);
    }
}
