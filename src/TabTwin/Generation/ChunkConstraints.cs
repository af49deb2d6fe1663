using TabTwin.Generation.Spec;
using TabTwin.Sampling.Constraints;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Generation;

/// <summary>
/// Makes a chunk satisfy its table's constraint rules by rejection, row by row: after the chunk is drawn (round 0,
/// the unconstrained streams), every row breaking a rule is replaced by the same row of a redraw from streams derived
/// from (seed, table, chunk, round), round after round. A chunk therefore still depends only on (seed, table, chunk),
/// so sharding stays exact. Rows are checked on the merged chunk, so rules over several rows (unique) hold too.
/// </summary>
internal sealed class ChunkConstraints
{
    /// <summary>Redraw rounds per chunk before giving up; with acceptance p the rows left bad shrink as (1 − p)^round.</summary>
    public const int MaxRounds = 200;
    /// <summary>Below this share of rows passing in the first draw the rules are taken as (nearly) infeasible at once.</summary>
    public const double MinAcceptance = 0.01;
    private const ulong RoundSalt = 0x5EED_00C0;

    private readonly ConstraintSet _rules;
    private readonly string _table;
    private readonly string? _file;

    public ChunkConstraints(ConstraintSet rules, string table, string? file)
    {
        _rules = rules;
        _table = table;
        _file = file;
    }

    /// <summary>The random stream key of <paramref name="round"/> for <paramref name="chunk"/> (round 0 = the chunk's own streams).</summary>
    public static ulong StreamKey(long chunk, int round) =>
        round == 0 ? (ulong)chunk : SeededRandom.Derive(SeededRandom.Derive(RoundSalt, (ulong)chunk), (ulong)round);

    /// <summary>Checks the rules' columns once, against an empty chunk, before any row is made.</summary>
    public void Validate(Table empty, bool multiChunk, Func<string, bool> isUniqueByConstruction)
    {
        try
        {
            _rules.Validate(empty);
        }
        catch (TabTwinException e)
        {
            throw new SpecException(e.Code, $"table '{_table}', field 'constraints': {e.Message}", _table, e.Column, "constraints", file: _file, hint: e.Hint, inner: e);
        }
        for (int i = 0; i < _rules.Count; i++)
            if (multiChunk && _rules[i] is UniqueConstraint u && !u.Columns.All(isUniqueByConstruction))
                throw new SpecException("spec.constraints-unsupported",
                    $"table '{_table}', field 'constraints': {_rules.Label(i)} needs uniqueness across the whole table, but rows are generated in independent chunks of {TablePlan.ChunkRows:N0}; " +
                    "'unique' is supported only for tables of one chunk or on sequence/id/uuid columns (unique by construction).",
                    _table, null, "constraints", file: _file, hint: "Make the column a sequence, id or uuid, or generate at most 65,536 rows.");
    }

    /// <summary>
    /// The chunk with every row satisfying every rule. <paramref name="draw"/>(round, rows) makes rows from a round's
    /// streams. <paramref name="keyed"/> marks columns that follow the row number (sequence, id, uuid): when no other
    /// column is computed from them (<paramref name="compact"/>), a round draws only as many rows as are still bad and
    /// keeps the keyed columns, so the cost of a round shrinks with the rows left; otherwise a round redraws the chunk.
    /// </summary>
    public Table Apply(long chunk, Func<int, int, Table> draw, bool[] keyed, bool compact)
    {
        var current = draw(0, -1);
        int n = current.RowCount;
        if (n == 0) return current;
        var ok = _rules.Satisfied(current);
        int passed = ok.Count(x => x);
        if (passed < MinAcceptance * n) throw Infeasible(current, chunk, passed, n, 0);
        // Row-local rules on redrawn columns only: a replacement that passed on its own passes in place, no recheck needed.
        bool rowLocal = !_rules.Any(r => r is UniqueConstraint)
            && !(compact && _rules.Any(r => r.Columns.Count == 0 || r.Columns.Any(c => current.IndexOf(c) is int i && i >= 0 && keyed[i])));
        var take = new int[n];
        for (int round = 1; passed < n; round++)
        {
            if (round > MaxRounds) throw Infeasible(current, chunk, passed, n, MaxRounds);
            var bad = new List<int>(n - passed);
            for (int i = 0; i < n; i++) if (!ok[i]) bad.Add(i);
            var redraw = draw(round, compact ? bad.Count : n);
            var redrawOk = _rules.Satisfied(redraw);
            for (int i = 0; i < n; i++) take[i] = i;
            for (int j = 0; j < bad.Count; j++)
            {
                int source = compact ? j : bad[j];
                if (redrawOk[source]) take[bad[j]] = n + source;
            }
            var merged = TableConcat.Rows([current, redraw]).Take(take);
            if (compact)
            {
                var columns = new Column[merged.ColumnCount];
                for (int c = 0; c < columns.Length; c++) columns[c] = keyed[c] ? current[c] : merged[c];
                merged = new Table(columns);
            }
            current = merged;
            if (rowLocal)
                for (int j = 0; j < bad.Count; j++) { if (redrawOk[compact ? j : bad[j]]) { ok[bad[j]] = true; passed++; } }
            else
            {
                ok = _rules.Satisfied(current);
                passed = ok.Count(x => x);
            }
        }
        return current;
    }

    private SpecException Infeasible(Table chunk, long index, int passed, int rows, int rounds)
    {
        var report = _rules.Check(chunk, 3);
        var worst = report.Violations.OrderByDescending(v => v.Count).First();
        string after = rounds == 0 ? "in the first draw" : $"after {rounds} redraws";
        return new SpecException("spec.constraints-infeasible",
            $"table '{_table}', field 'constraints': {worst.Label} is (nearly) never met by the columns as specified: " +
            $"{after}, only {passed:N0} of {rows:N0} rows of chunk {index} satisfy every rule ({worst.Count:N0} break this one, e.g. {worst.FormattedRows[0]}).",
            _table, null, "constraints", file: _file,
            hint: "Widen the columns' distributions so the rule holds for a fair share of rows, or correct the rule.");
    }
}
