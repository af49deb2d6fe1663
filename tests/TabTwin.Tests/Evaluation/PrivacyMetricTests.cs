using TabTwin.Evaluation;
using TabTwin.Evaluation.Privacy;
using TabTwin.Evaluation.Quality;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Tests.Evaluation;

/// <summary>Expectations computed by hand from the documented definitions.</summary>
public sealed class PrivacyMetricTests
{
    private static readonly TableSchema Schema = new()
    {
        Columns =
        [
            new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = "c", Kind = ColumnKind.Categorical },
            new ColumnSchema { Name = "b", Kind = ColumnKind.Boolean },
            new ColumnSchema { Name = "id", Kind = ColumnKind.Id },
        ],
    };

    private static int _nextId;

    private static Table Rows(params (double? X, string? C, bool? B)[] rows) => new(
    [
        new NumericColumn("x", rows.Select(r => r.X ?? 0).ToArray(), Bitmask.FromBools(rows.Select(r => r.X is null).ToArray())),
        CategoricalColumn.FromStrings("c", rows.Select(r => r.C).ToArray()),
        new BooleanColumn("b", rows.Select(r => r.B ?? false).ToArray(), Bitmask.FromBools(rows.Select(r => r.B is null).ToArray())),
        // Ids differ on every row and table: they must not count.
        CategoricalColumn.FromStrings("id", rows.Select(_ => $"id-{Interlocked.Increment(ref _nextId)}").ToArray()),
    ]);

    /// <summary>Rows drawn independently from one distribution (x ~ N(0,1), c uniform over 4, b fair coin).</summary>
    private static Table Draw(int rows, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Rows(Enumerable.Range(0, rows)
            .Select(_ => ((double?)rng.NextGaussian(), (string?)"pqrs"[rng.NextInt(4)].ToString(), (bool?)rng.NextBernoulli(0.5))).ToArray());
    }

    private static readonly Table Three = Rows((0, "a", true), (10, "b", false), (20, null, true));

    [Fact]
    public void Distance_on_three_rows_matches_the_hand_computation()
    {
        // x: median 10, IQR q75 − q25 = 15 − 5 = 10. Id is left out, so m = 3 columns.
        var distance = MixedDistance.Fit(Three, Schema);
        Assert.Equal(["x", "c", "b"], distance.Columns.Select(c => c.Name));
        Assert.Equal(10, distance.Columns[0].Scale);
        Assert.Equal(10, distance.Columns[0].Center);
        var t = distance.Encode(Three);
        // row0 vs row1: |0−10|/10 = 1, a≠b 1, true≠false 1 → 3/3.
        Assert.Equal(1, distance.Distance(t, 0, t, 1), 6);
        // row0 vs row2: |0−20|/10 = 2 capped to 1, a vs missing 1, true = true 0 → 2/3.
        Assert.Equal(2 / 3.0, distance.Distance(t, 0, t, 2), 6);
        Assert.Equal(0, distance.Distance(t, 2, t, 2), 6);

        var q = distance.Encode(Rows((5, "a", true), (null, null, null)));
        // (5,a,true): to row0 .5+0+0 = 1/6, to row1 .5+1+1 = 2.5/3, to row2 1.5→1 +1+0 = 2/3.
        Assert.Equal(1 / 6.0, distance.Distance(q, 0, t, 0), 6);
        Assert.Equal(2.5 / 3, distance.Distance(q, 0, t, 1), 6);
        // (missing, missing, missing) vs row2: missing vs 20 → 1, both missing → 0, missing vs true → 1 → 2/3.
        Assert.Equal(2 / 3.0, distance.Distance(q, 1, t, 2), 6);

        var found = NearestNeighbours.Find(q, t);
        Assert.Equal(1 / 6.0, found.Nearest[0], 6);
        Assert.Equal(2 / 3.0, found.SecondNearest[0], 6);
        Assert.Equal(2 / 3.0, found.Nearest[1], 6);
        Assert.Equal(1, found.SecondNearest[1], 6);
    }

    [Fact]
    public void Scale_falls_back_to_the_range_then_to_one()
    {
        Assert.Equal((0, 10), MixedDistance.RobustScale([0, 0, 0, 0, 0, 0, 0, 10]));
        Assert.Equal((3, 1), MixedDistance.RobustScale([3, 3, 3]));
    }

    [Fact]
    public void Vectorized_search_equals_the_scalar_distance_on_random_rows()
    {
        var reference = Draw(300, 1);
        var queries = Draw(40, 2);
        var distance = MixedDistance.Fit(reference, Schema);
        var r = distance.Encode(reference);
        var q = distance.Encode(queries);
        var found = NearestNeighbours.Find(q, r, maxThreads: 2);
        for (int i = 0; i < q.RowCount; i++)
        {
            var all = Enumerable.Range(0, r.RowCount).Select(j => distance.Distance(q, i, r, j)).Order().ToArray();
            Assert.Equal(all[0], found.Nearest[i]);
            Assert.Equal(all[1], found.SecondNearest[i]);
        }
    }

    [Fact]
    public void Wilson_interval_matches_the_formula_by_hand()
    {
        // p = .5, n = 100: centre .5, half-width z/(1+z²/n)·√(.0025 + z²/40000) = .0961685.
        var half = EvaluationStatistics.Wilson(0.5, 100);
        Assert.Equal(0.4038315303659956, half.Lower, 12);
        Assert.Equal(0.5961684696340044, half.Upper, 12);
        // p = 0, n = 10: the interval is [0, 2·(z²/20)/(1+z²/10)] = [0, .2775328].
        var zero = EvaluationStatistics.Wilson(0, 10);
        Assert.Equal(0, zero.Lower, 12);
        Assert.Equal(0.2775327998628892, zero.Upper, 12);
    }

    [Fact]
    public void DcrShare_counts_strictly_closer_rows_and_half_ties()
    {
        // closer, farther, tie, closer → (1 + 0 + .5 + 1) / 4.
        var share = DcrShare.FromDistances([0, 1, 0.5, 0.2], [0.1, 0.5, 0.5, 0.3]);
        Assert.Equal(0.625, share.Value, 12);
        Assert.Equal(4, share.Trials);
        Assert.Equal(0.21942652006536284, share.Lower, 12);
        Assert.Equal(0.9081007708209878, share.Upper, 12);
        // Target metric: .5 is perfect, .75 halfway to the worst.
        Assert.Equal(1, MetricScale.Normalize(DcrShare.Instance, 0.5), 12);
        Assert.Equal(0.5, MetricScale.Normalize(DcrShare.Instance, 0.75), 12);
    }

    [Fact]
    public void Nndr_and_membership_auc_match_the_hand_computation()
    {
        // .1/.2, 0/0 (counts 1), .3/.3 → (.5 + 1 + 1) / 3.
        Assert.Equal(2.5 / 3, NearestNeighbourDistanceRatio.FromDistances([0.1, 0, 0.3], [0.2, 0, 0.3]), 12);
        // Scores −d: members {0, −.1}, non-members {−.2, −.1}: pairs win, win, win, tie → 3.5 / 4.
        Assert.Equal(0.875, MembershipInferenceAuc.FromDistances([0, 0.1], [0.2, 0.1]), 12);
        Assert.Equal(0.5, EvaluationStatistics.Auc([1, 2], [1, 2]), 12);
        Assert.Equal(0, EvaluationStatistics.Auc([1], [2, 3]), 12);
    }

    [Fact]
    public void Exact_copy_rate_compares_all_non_id_columns_with_missing_equal_to_missing()
    {
        var training = Rows((1, "a", true), (2, "b", null), (null, "c", false));
        // Copy of row0 (new id), copy of row1 (missing b), x 2.5 ≠ 2, copy of row2 (missing x).
        var candidates = Rows((1, "a", true), (2, "b", null), (2.5, "b", null), (null, "c", false));
        Assert.Equal(0.75, ExactCopyRate.Compute(training, candidates, Schema), 12);
        Assert.Equal(0, ExactCopyRate.Compute(training, Rows((1, "a", false)), Schema), 12);
    }

    [Fact]
    public void A_copy_of_training_scores_dcr_one_and_an_independent_draw_about_a_half()
    {
        var training = Draw(400, 10);
        var holdout = Draw(400, 11);
        var copied = PrivacyReport.Compute(training, holdout, training, Schema);
        Assert.Equal(1.0, copied.DcrShare.Value, 12);
        Assert.Equal(1.0, copied.ExactCopyRate, 12);
        Assert.Equal(0, copied.HoldoutExactCopyRate, 12);
        Assert.True(copied.MembershipInferenceAuc > 0.95, $"MIA AUC {copied.MembershipInferenceAuc}");
        Assert.True(copied.Nndr < 0.05, $"NNDR {copied.Nndr}");

        var fresh = PrivacyReport.Compute(training, holdout, Draw(400, 12), Schema);
        Assert.InRange(fresh.DcrShare.Value, 0.42, 0.58);
        Assert.InRange(fresh.MembershipInferenceAuc, 0.42, 0.58);
        Assert.Equal(0, fresh.ExactCopyRate, 12);
        Assert.InRange(fresh.Nndr, fresh.HoldoutNndr - 0.1, fresh.HoldoutNndr + 0.1);
    }

    [Fact]
    public void Results_depend_on_the_seed_only_not_on_threads()
    {
        var training = Draw(500, 20);
        var holdout = Draw(300, 21);
        var synthetic = Draw(700, 22);
        var options = new PrivacyOptions { Seed = 7, MaxQueryRows = 150, MaxReferenceRows = 250 };
        var one = PrivacyReport.Compute(training, holdout, synthetic, Schema, options with { MaxThreads = 1 });
        var many = PrivacyReport.Compute(training, holdout, synthetic, Schema, options with { MaxThreads = 4 });
        Assert.Equal(one with { Columns = [] }, many with { Columns = [] });
        Assert.Equal(150, one.SyntheticRowsScored);
        Assert.Equal(250, one.ReferenceRows);
    }

    [Fact]
    public void Datetimes_are_compared_in_seconds_scaled_by_the_real_iqr()
    {
        var schema = new TableSchema { Columns = [new ColumnSchema { Name = "t", Kind = ColumnKind.Datetime }] };
        var day = TimeSpan.TicksPerDay;
        var start = new DateTime(2024, 1, 1).Ticks;
        // Days 0, 4, 8, 12, 16: median day 8, IQR (12 − 4) = 8 days.
        var real = new Table([new DateTimeColumn("t", [.. Enumerable.Range(0, 5).Select(d => start + 4 * d * day)])]);
        var distance = MixedDistance.Fit(real, schema);
        Assert.Equal(8 * 86_400, distance.Columns[0].Scale, 6);
        var r = distance.Encode(real);
        var q = distance.Encode(new Table([new DateTimeColumn("t", [start + 2 * day, start + 100 * day], Bitmask.FromBools([false, true]))]));
        // Day 2 vs day 0: 2/8; vs day 16: 14/8 capped at 1. A missing date vs any present one: 1.
        Assert.Equal(0.25, distance.Distance(q, 0, r, 0), 6);
        Assert.Equal(1, distance.Distance(q, 0, r, 4), 6);
        Assert.Equal(1, distance.Distance(q, 1, r, 0), 6);
    }

    [Fact]
    public void A_table_without_a_compared_column_is_refused_with_its_name()
    {
        var e = Assert.Throws<SchemaException>(() => PrivacyReport.Compute(Three, Three, Three.Without("c"), Schema));
        Assert.Equal("privacy.missing-column", e.Code);
        Assert.Equal("c", e.Column);
    }
}
