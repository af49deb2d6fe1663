using TabTwin.Randomness;
using TabTwin.Schema.Relational;
using TabTwin.Tables;

namespace TabTwin.Evaluation.MultiTable;

/// <summary>
/// A database split into a training part and a holdout, as <see cref="RelationalHoldout.Split"/> made it.
/// <see cref="Followed"/> says, per table, the foreign key whose parent row decided where each row went (null: the
/// table's own rows were split). A row of a reference table referenced from the other part (a held-out airport a
/// training flight lands at) is in both parts; <see cref="Unseen"/> gives the held-out rows the training part does not
/// hold, the rows a privacy measurement compares against.
/// </summary>
public sealed class RelationalHoldoutSplit
{
    private readonly IReadOnlyDictionary<string, bool[]> _inTrain, _inHoldout;

    internal RelationalHoldoutSplit(RelationalData data, IReadOnlyDictionary<string, bool[]> inTrain, IReadOnlyDictionary<string, bool[]> inHoldout,
        IReadOnlyDictionary<string, ForeignKey?> followed)
    {
        _inTrain = inTrain;
        _inHoldout = inHoldout;
        Train = RelationalHoldout.Part(data, inTrain);
        Holdout = RelationalHoldout.Part(data, inHoldout);
        Followed = followed;
        var unseen = data.Tables.ToDictionary(p => p.Key, p => RelationalHoldout.Rows(p.Value, r => inHoldout[p.Key][r] && !inTrain[p.Key][r]), StringComparer.Ordinal);
        Unseen = unseen;
    }

    /// <summary>The rows to learn from; every foreign key resolves inside it.</summary>
    public RelationalData Train { get; }
    /// <summary>The held-out rows with every row they reference; every foreign key resolves inside it.</summary>
    public RelationalData Holdout { get; }
    /// <summary>Per table, the held-out rows that are not also in <see cref="Train"/>: what the synthesizer never saw.</summary>
    public IReadOnlyDictionary<string, Table> Unseen { get; }
    /// <summary>Per table, the foreign key its rows followed into their part (null = its own rows were split at random).</summary>
    public IReadOnlyDictionary<string, ForeignKey?> Followed { get; }
    /// <summary>Rows of <paramref name="table"/> in both parts (referenced from each through keys not followed).</summary>
    public int SharedRows(string table) => Enumerable.Range(0, _inTrain[table].Length).Count(r => _inTrain[table][r] && _inHoldout[table][r]);
}

/// <summary>
/// The train/holdout split of a whole database for privacy measurements (DCR per table): a synthetic database learned
/// from <see cref="RelationalHoldoutSplit.Train"/> should be no nearer to it than to the holdout. Rows are not split
/// one by one: children follow their parent, so a customer's orders go wherever the customer went and no held-out row
/// has a sibling the model saw (an order learned beside its held-out sibling would make the holdout look "seen").
/// <list type="bullet">
/// <item>Tables are visited parents first. A table follows its deepest parent — the one that carries most of the
/// database above it, as the multi-table synthesizer chooses the parent a child is drawn from: an invoice line follows
/// its invoice rather than its track, a flight its hour of weather rather than its airline — among the foreign keys
/// (self-references aside) present in at least half of its rows and naming at least <see cref="MinParentGroups"/>
/// distinct parent rows (weather on 3 airports would otherwise be split in 3 lumps); ties go to the key of more
/// columns, then the declared order. Its rows with that key missing (or orphaned) are drawn at random.</item>
/// <item>Any other table has its own rows shuffled with a <see cref="SeededRandom"/> stream and cut as
/// <see cref="HoldoutSplit"/> cuts a single table.</item>
/// <item>A row may still reference, through a foreign key it did not follow, a parent row of the other part. When no
/// table follows that parent table (reference data: airports, genres, a boss in the employee list), the parent row is
/// put in this part too (and what it references, up the keys): no value is lost, and the held-out rows the training part
/// does not hold are <see cref="RelationalHoldoutSplit.Unseen"/>. When the parent is itself split by families (a track
/// an invoice line names, its playlists following it), sharing it would drag its family along, so the link is cut
/// instead (the key set missing, as <see cref="OrphanPolicy.AsMissing"/> does; a row whose primary key holds it is
/// dropped). Either way each part is a valid database.</item>
/// </list>
/// Same data, fraction and seed give the same split on any machine.
/// </summary>
public static class RelationalHoldout
{
    /// <summary>Fewest distinct parent rows a foreign key must name for its children to follow it.</summary>
    public const int MinParentGroups = 20;

    private const ulong Salt = 0x4E1D_5B17;

    public static RelationalHoldoutSplit Split(RelationalData data, double trainFraction, ulong seed)
    {
        var (inTrain, inHoldout, followed) = Masks(data, trainFraction, seed);
        return new RelationalHoldoutSplit(data, inTrain, inHoldout, followed);
    }

    /// <summary>
    /// Per table, which rows are in the training part and which in the holdout (a borrowed reference row is in both), and
    /// the key each table followed: the split of <see cref="Split"/> without building its two databases (the multi-table
    /// fit's privacy check takes row indexes per table).
    /// </summary>
    internal static (Dictionary<string, bool[]> InTrain, Dictionary<string, bool[]> InHoldout, Dictionary<string, ForeignKey?> Followed) Masks(
        RelationalData data, double trainFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(trainFraction > 0 && trainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The train fraction must lie strictly between 0 and 1.");
        var meta = data.Metadata;
        var heldOut = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        var followed = new Dictionary<string, ForeignKey?>(StringComparer.Ordinal);
        var depth = Depths(meta);
        for (int t = 0; t < meta.ParentsFirst.Count; t++)
        {
            var name = meta.ParentsFirst[t];
            var table = data[name];
            var rng = SeededRandom.For(seed, SeededRandom.Derive(Salt, (ulong)t));
            var (fk, keys) = ParentToFollow(meta, data, name, depth);
            followed[name] = fk;
            heldOut[name] = fk is null
                ? OwnRows(table.RowCount, trainFraction, rng)
                : FollowParent(keys!, ParentRows(data[fk.ParentTable], fk), heldOut[fk.ParentTable], trainFraction, rng);
        }
        var inTrain = heldOut.ToDictionary(p => p.Key, p => p.Value.Select(h => !h).ToArray(), StringComparer.Ordinal);
        var inHoldout = heldOut.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        var familyTables = followed.Values.OfType<ForeignKey>().Select(f => f.ParentTable).ToHashSet(StringComparer.Ordinal);
        Borrow(data, inTrain, familyTables);
        Borrow(data, inHoldout, familyTables);
        return (inTrain, inHoldout, followed);
    }

    /// <summary>The foreign key <paramref name="table"/> follows (see the class summary) with its key per row, or nulls: split its own rows.</summary>
    private static (ForeignKey? Key, string?[]? Values) ParentToFollow(DatabaseMetadata meta, RelationalData data, string table, Dictionary<string, int> depth)
    {
        var candidates = new List<(ForeignKey Fk, string?[] Keys, int Order)>();
        foreach (var fk in meta.ParentsOf(table).Where(f => !f.IsSelfReference))
        {
            var keys = KeyValues.Of(data[table], fk.ChildColumns);
            var present = keys.Where(k => k is not null).ToList();
            if (present.Count * 2 >= keys.Length && present.Distinct(StringComparer.Ordinal).Count() >= MinParentGroups)
                candidates.Add((fk, keys, candidates.Count));
        }
        var best = candidates.OrderByDescending(c => depth[c.Fk.ParentTable]).ThenByDescending(c => c.Fk.ChildColumns.Count).ThenBy(c => c.Order).FirstOrDefault();
        return (best.Fk, best.Keys);
    }

    /// <summary>Tables without parents are 0 deep; a child is one deeper than its deepest parent (self-references aside).</summary>
    private static Dictionary<string, int> Depths(DatabaseMetadata meta)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in meta.ParentsFirst)
            depth[t] = meta.ParentsOf(t).Where(f => !f.IsSelfReference).Select(f => depth[f.ParentTable] + 1).DefaultIfEmpty(0).Max();
        return depth;
    }

    private static Dictionary<string, int> ParentRows(Table parent, ForeignKey fk)
    {
        var keys = KeyValues.Of(parent, fk.ParentColumns);
        var rows = new Dictionary<string, int>(keys.Length, StringComparer.Ordinal);
        for (int r = 0; r < keys.Length; r++) if (keys[r] is { } k) rows.TryAdd(k, r);
        return rows;
    }

    /// <summary>Rows shuffled (Fisher–Yates), the first floor(n × trainFraction) kept for training.</summary>
    private static bool[] OwnRows(int count, double trainFraction, SeededRandom rng)
    {
        var rows = Enumerable.Range(0, count).ToArray();
        for (int i = rows.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
        var held = new bool[count];
        for (int i = (int)(count * trainFraction); i < count; i++) held[rows[i]] = true;
        return held;
    }

    private static bool[] FollowParent(string?[] keys, Dictionary<string, int> parentRows, bool[] parentHeldOut, double trainFraction, SeededRandom rng)
    {
        var held = new bool[keys.Length];
        for (int r = 0; r < keys.Length; r++)
            held[r] = keys[r] is { } k && parentRows.TryGetValue(k, out int p) ? parentHeldOut[p] : rng.NextBernoulli(1 - trainFraction);
        return held;
    }

    /// <summary>
    /// Adds to a part every row of a reference table (one no table follows) its rows reference: children first, so a
    /// borrowed row's own parents follow it; a self-reference until no boss is missing.
    /// </summary>
    private static void Borrow(RelationalData data, Dictionary<string, bool[]> part, HashSet<string> familyTables)
    {
        var meta = data.Metadata;
        foreach (var table in meta.ParentsFirst.Reverse())
            foreach (var fk in meta.ParentsOf(table).Where(f => !familyTables.Contains(f.ParentTable)).OrderByDescending(f => f.IsSelfReference))
            {
                var keys = KeyValues.Of(data[table], fk.ChildColumns);
                var parents = ParentRows(data[fk.ParentTable], fk);
                var rows = part[table];
                var target = part[fk.ParentTable];
                for (bool changed = true; changed;)
                {
                    changed = false;
                    for (int r = 0; r < keys.Length; r++)
                        if (rows[r] && keys[r] is { } k && parents.TryGetValue(k, out int p) && !target[p])
                            changed = target[p] = true;
                    changed &= fk.IsSelfReference;
                }
            }
    }

    internal static Table Rows(Table table, Func<int, bool> keep) => table.Take(Enumerable.Range(0, table.RowCount).Where(keep).ToArray());

    /// <summary>One part: each table's rows of that side, links into the other side's families cut (as orphans the data already had).</summary>
    internal static RelationalData Part(RelationalData data, IReadOnlyDictionary<string, bool[]> inPart) =>
        KeyIntegrity.Enforce(new RelationalData(data.Metadata, data.Tables.ToDictionary(p => p.Key, p => Rows(p.Value, r => inPart[p.Key][r]), StringComparer.Ordinal)),
            OrphanPolicy.AsMissing);
}
