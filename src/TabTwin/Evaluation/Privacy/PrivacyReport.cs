using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Evaluation.Privacy;

/// <summary>Sizes, seed and threads of a privacy evaluation.</summary>
public sealed record PrivacyOptions
{
    /// <summary>Seed of every sub-sample; same seed, same numbers.</summary>
    public ulong Seed { get; init; }
    /// <summary>Rows scored against a reference (synthetic rows for DCR/NNDR; members and non-members each for the attack). Above it a seeded sample is drawn.</summary>
    public int MaxQueryRows { get; init; } = 2_000;
    /// <summary>Rows searched for neighbours (training and holdout for DCR/NNDR; synthetic rows for the attack). Above it a seeded sample is drawn.</summary>
    public int MaxReferenceRows { get; init; } = 30_000;
    /// <summary>Threads for the neighbour search (−1 = all cores); results do not depend on it.</summary>
    public int MaxThreads { get; init; } = -1;
}

/// <summary>The privacy metrics of one synthetic table, each with the baseline that gives it meaning.</summary>
public sealed record PrivacyResult(
    ProportionEstimate DcrShare,
    double Nndr,
    double HoldoutNndr,
    double ExactCopyRate,
    double HoldoutExactCopyRate,
    double MembershipInferenceAuc,
    int SyntheticRowsScored,
    int ReferenceRows,
    IReadOnlyList<DistanceColumn> Columns)
{
    /// <summary>Each metric normalized onto [0, 1] (1 = best) by its declared goal and range.</summary>
    public IReadOnlyDictionary<string, double> Scores => new Dictionary<string, double>
    {
        [Privacy.DcrShare.Instance.Name] = Quality.MetricScale.Normalize(Privacy.DcrShare.Instance, DcrShare.Value),
        [NearestNeighbourDistanceRatio.Instance.Name] = Quality.MetricScale.Normalize(NearestNeighbourDistanceRatio.Instance, Nndr),
        [Privacy.ExactCopyRate.Instance.Name] = Quality.MetricScale.Normalize(Privacy.ExactCopyRate.Instance, ExactCopyRate),
        [Privacy.MembershipInferenceAuc.Instance.Name] = Quality.MetricScale.Normalize(Privacy.MembershipInferenceAuc.Instance, MembershipInferenceAuc),
    };
}

/// <summary>
/// Privacy of a synthetic table against the training table it was learned from and a holdout it never saw, all
/// under <see cref="MixedDistance"/> (scales fitted on training). So that training and holdout compete on equal
/// footing, both are sampled to the same size n = min(|training|, |holdout|, MaxReferenceRows); synthetic rows are
/// sampled to MaxQueryRows; members (training) and non-members (holdout) for the attack to MaxQueryRows each (from
/// the same equal-size samples), synthetic rows searched by the attack to MaxReferenceRows. Exact-copy rates use
/// every row (hashing is cheap). All samples are seeded streams of <see cref="PrivacyOptions.Seed"/>.
/// </summary>
public static class PrivacyReport
{
    public static PrivacyResult Compute(Table training, Table holdout, Table synthetic, TableSchema schema, PrivacyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(synthetic);
        options ??= new PrivacyOptions();
        if (options.MaxQueryRows < 1 || options.MaxReferenceRows < 2) throw new ArgumentOutOfRangeException(nameof(options), "MaxQueryRows must be ≥ 1 and MaxReferenceRows ≥ 2.");
        if (training.RowCount < 2 || holdout.RowCount < 2 || synthetic.RowCount < 1)
            throw new ArgumentException($"Privacy metrics need ≥ 2 training rows, ≥ 2 holdout rows and ≥ 1 synthetic row (got {training.RowCount}, {holdout.RowCount}, {synthetic.RowCount}).");

        var distance = MixedDistance.Fit(training, schema);
        var train = distance.Encode(training);
        var hold = distance.Encode(holdout);
        var synth = distance.Encode(synthetic);

        int referenceRows = Math.Min(Math.Min(train.RowCount, hold.RowCount), options.MaxReferenceRows);
        var trainReference = train.Take(EvaluationStatistics.SampleRows(train.RowCount, referenceRows, options.Seed, 1));
        var holdReference = hold.Take(EvaluationStatistics.SampleRows(hold.RowCount, referenceRows, options.Seed, 2));
        var queries = synth.Take(EvaluationStatistics.SampleRows(synth.RowCount, options.MaxQueryRows, options.Seed, 3));

        var toTraining = NearestNeighbours.Find(queries, trainReference, options.MaxThreads);
        var toHoldout = NearestNeighbours.Find(queries, holdReference, options.MaxThreads);
        // Baseline NNDR: how isolated real unseen rows are among training rows.
        var holdQueries = holdReference.Take(EvaluationStatistics.SampleRows(referenceRows, options.MaxQueryRows, options.Seed, 4));
        var holdToTraining = NearestNeighbours.Find(holdQueries, trainReference, options.MaxThreads);

        int attackRows = Math.Min(referenceRows, options.MaxQueryRows);
        var members = trainReference.Take(EvaluationStatistics.SampleRows(referenceRows, attackRows, options.Seed, 5));
        var nonMembers = holdReference.Take(EvaluationStatistics.SampleRows(referenceRows, attackRows, options.Seed, 6));
        var attackReference = synth.Take(EvaluationStatistics.SampleRows(synth.RowCount, options.MaxReferenceRows, options.Seed, 7));
        var memberDistances = NearestNeighbours.Find(members, attackReference, options.MaxThreads).Nearest;
        var nonMemberDistances = NearestNeighbours.Find(nonMembers, attackReference, options.MaxThreads).Nearest;

        return new PrivacyResult(
            DcrShare.FromDistances(toTraining.Nearest, toHoldout.Nearest),
            NearestNeighbourDistanceRatio.FromDistances(toTraining.Nearest, toTraining.SecondNearest),
            NearestNeighbourDistanceRatio.FromDistances(holdToTraining.Nearest, holdToTraining.SecondNearest),
            ExactCopyRate.Compute(training, synthetic, schema),
            ExactCopyRate.Compute(training, holdout, schema),
            MembershipInferenceAuc.FromDistances(memberDistances, nonMemberDistances),
            queries.RowCount,
            referenceRows,
            distance.Columns);
    }
}
