using TabTwin.Evaluation.MultiTable;
using TabTwin.Randomness;
using TabTwin.Schema.Relational;

namespace TabTwin.MultiTable;

/// <summary>
/// The splits the privacy check of each table uses inside <see cref="MultiTableSynthesizer.Fit"/>: the whole database
/// split by family (<see cref="RelationalHoldout"/>: an invoice's lines go where the invoice went), one split per fold,
/// shared by every table. Why not rows at random per table: an invoice line trained on beside its held-out sibling makes
/// the holdout look "seen" (siblings share their parent's joined columns), so the check would measure less memorisation
/// than there is; and the issue's own privacy target is measured against a family holdout, so the check must ask the same.
/// Per table, the training rows are those of the training part; the held-out rows are those of the holdout the training
/// part does not also hold (a reference row borrowed by both parts, an airport, counts as seen).
/// </summary>
internal sealed class FamilyFolds(RelationalData data, ulong seed)
{
    /// <summary>Share of each table's families in a fold's training part, as the single-table check's 0.8.</summary>
    public const double TrainFraction = 0.8;
    private const ulong Salt = 0xFA3117;

    private readonly Dictionary<int, (Dictionary<string, bool[]> InTrain, Dictionary<string, bool[]> InHoldout)> _folds = [];

    /// <summary>The training and held-out row indexes of <paramref name="table"/> in fold <paramref name="fold"/> (disjoint, ascending).</summary>
    public (int[] Train, int[] Holdout) Rows(string table, int fold)
    {
        if (!_folds.TryGetValue(fold, out var split))
        {
            var (inTrain, inHoldout, _) = RelationalHoldout.Masks(data, TrainFraction, SeededRandom.Derive(seed, Salt, (ulong)fold));
            _folds[fold] = split = (inTrain, inHoldout);
        }
        var train = split.InTrain[table];
        var holdout = split.InHoldout[table];
        return ([.. Enumerable.Range(0, train.Length).Where(r => train[r])], [.. Enumerable.Range(0, train.Length).Where(r => holdout[r] && !train[r])]);
    }
}
