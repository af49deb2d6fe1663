using TabTwin.Randomness;
using TabTwin.Schema.Relational;
using TabTwin.Tables;

namespace TabTwin.Evaluation.MultiTable;

/// <summary>
/// A database split into a training part and a holdout, as <see cref="RelationalHoldout.Split"/> made it.
/// <see cref="Followed"/> says, per table, the foreign key whose parent row decided where each row went (null: the
/// table's own rows were split); <see cref="CutLinks"/> lists the references that crossed from one part to the other
/// (through a foreign key not followed) and were therefore set missing (or their rows dropped, where the key is part of
/// the child's primary key), per part.
/// </summary>
public sealed class RelationalHoldoutSplit
{
    internal RelationalHoldoutSplit(RelationalData train, RelationalData holdout, IReadOnlyDictionary<string, ForeignKey?> followed)
    {
        Train = train;
        Holdout = holdout;
        Followed = followed;
    }

    /// <summary>The rows to learn from; every foreign key resolves inside it.</summary>
    public RelationalData Train { get; }
    /// <summary>The rows never learned from; every foreign key resolves inside it.</summary>
    public RelationalData Holdout { get; }
    /// <summary>Per table, the foreign key its rows followed into their part (null = its own rows were split at random).</summary>
    public IReadOnlyDictionary<string, ForeignKey?> Followed { get; }
    /// <summary>Links cut by the split in the training part (and orphans the data already had), as the reader reports orphans.</summary>
    public IReadOnlyList<OrphanReport> CutLinks => Train.Orphans;
    /// <summary>Links cut by the split in the holdout part.</summary>
    public IReadOnlyList<OrphanReport> HoldoutCutLinks => Holdout.Orphans;
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
/// <item>A row may still reference, through a foreign key it did not follow, a parent row of the other part: that link
/// is cut (the key set missing, as <see cref="OrphanPolicy.AsMissing"/> does) so each part is a valid database.</item>
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
        return new RelationalHoldoutSplit(Part(data, heldOut, false), Part(data, heldOut, true), followed);
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

    /// <summary>One part: each table's rows of that side, links to rows of the other side cut (keys set missing).</summary>
    private static RelationalData Part(RelationalData data, Dictionary<string, bool[]> heldOut, bool holdout)
    {
        var tables = data.Tables.ToDictionary(p => p.Key, p =>
        {
            var held = heldOut[p.Key];
            return p.Value.Take(Enumerable.Range(0, held.Length).Where(r => held[r] == holdout).ToArray());
        }, StringComparer.Ordinal);
        return KeyIntegrity.Enforce(new RelationalData(data.Metadata, tables), OrphanPolicy.AsMissing);
    }
}
