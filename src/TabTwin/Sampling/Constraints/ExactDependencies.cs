using MathNet.Numerics.LinearAlgebra;
using TabTwin.Expressions;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Constraints;

/// <summary>
/// Exact dependencies between columns found in the data (issue 14), kept as ordinary constraints: a numeric column that
/// is an exact copy of another or the sum of others (<c>formula</c>: dropped and recomputed), and columns that are
/// constant per value of another — a fixed 1:1 relabelling (education ↔ education-num) or a code fixed by a group
/// (<c>fixed-combinations</c>: modelled as one merged category). Strict on purpose, since a coincidence in the data
/// would become a rule: the dependency must hold on every row, with at least <see cref="MinRows"/> rows, columns that
/// are not constant, and groups of at least <see cref="MinRowsPerGroup"/> rows on average.
/// </summary>
internal static class ExactDependencies
{
    public const int MinRows = 50;
    public const int MinRowsPerGroup = 5;
    private const int MaxGroups = 1000;
    private const int MaxSumCandidates = 60;
    private const int SumSampleRows = 3000;

    /// <summary>Copies and sums among numeric columns, then groups of constant-per-value columns, none sharing a column.</summary>
    public static IEnumerable<DetectedConstraint> Find(Table table, TableSchema schema, HashSet<string> usable)
    {
        if (table.RowCount < MinRows) yield break;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var numeric = table.Columns.Where(c => usable.Contains(c.Name) && c is NumericColumn
            && schema.Find(c.Name)?.Kind == ColumnKind.Numerical && !IsZeroOneOrConstant((NumericColumn)c)).Cast<NumericColumn>().ToList();
        foreach (var found in Copies(numeric, taken)) yield return found;
        foreach (var found in Sums(table, numeric.Where(c => !taken.Contains(c.Name)).ToList(), taken)) yield return found;
        foreach (var found in ConstantPerGroup(table, usable, taken)) yield return found;
    }

    private static IEnumerable<DetectedConstraint> Copies(List<NumericColumn> numeric, HashSet<string> taken)
    {
        for (int i = 0; i < numeric.Count; i++)
            for (int j = i + 1; j < numeric.Count; j++)
            {
                var (a, b) = (numeric[i], numeric[j]);
                if (taken.Contains(a.Name) || taken.Contains(b.Name) || !SameValues(a, b)) continue;
                taken.Add(b.Name);
                yield return new DetectedConstraint(new FormulaConstraint(b.Name, ExpressionPrinter.FormatColumn(a.Name)),
                    $"'{b.Name}' equals '{a.Name}' in every one of the {a.Length:N0} rows; recomputed from it");
            }
    }

    private static bool SameValues(NumericColumn a, NumericColumn b)
    {
        for (int r = 0; r < a.Length; r++)
        {
            if (a.IsMissing(r) != b.IsMissing(r)) return false;
            if (!a.IsMissing(r) && a[r] != b[r]) return false;
        }
        return true;
    }

    /// <summary>
    /// A column that is the sum of two or more others: least squares over the other numeric columns on a sample of
    /// complete rows must give weights of exactly 0 or 1 and no residual; then the formula is checked on every row.
    /// </summary>
    private static IEnumerable<DetectedConstraint> Sums(Table table, List<NumericColumn> candidates, HashSet<string> taken)
    {
        candidates = candidates.Where(c => c.MissingCount <= 0.05 * c.Length).ToList();
        if (candidates.Count < 3 || candidates.Count > MaxSumCandidates) yield break;
        var rows = Enumerable.Range(0, table.RowCount).Where(r => candidates.All(c => !c.IsMissing(r))).Take(SumSampleRows).ToArray();
        if (rows.Length < MinRows) yield break;
        // The largest columns first: a total is larger than its parts.
        foreach (var target in candidates.OrderByDescending(c => rows.Average(r => Math.Abs(c[r]))).ToList())
        {
            var terms = candidates.Where(c => c != target && !taken.Contains(c.Name)).ToList();
            if (terms.Count < 2) continue;
            var x = Matrix<double>.Build.Dense(rows.Length, terms.Count, (i, j) => terms[j][rows[i]]);
            var y = Vector<double>.Build.Dense(rows.Length, i => target[rows[i]]);
            Vector<double> w;
            try { w = x.QR().Solve(y); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { continue; }
            if (w.Any(v => !double.IsFinite(v) || (Math.Abs(v) > 1e-6 && Math.Abs(v - 1) > 1e-6))) continue;
            var parts = terms.Where((_, j) => Math.Abs(w[j] - 1) <= 1e-6).ToList();
            if (parts.Count < 2) continue;
            var rule = new FormulaConstraint(target.Name, string.Join(" + ", parts.Select(p => ExpressionPrinter.FormatColumn(p.Name))));
            if (rule.FindViolations(table).Any(bad => bad)) continue;
            taken.Add(target.Name);
            yield return new DetectedConstraint(rule,
                $"'{target.Name}' is the sum of {string.Join(", ", parts.Select(p => $"'{p.Name}'"))} in every one of the {table.RowCount:N0} rows (within rounding); recomputed from them");
        }
    }

    /// <summary>
    /// Columns whose value is fixed by another column's value in every row (missing counted as a value): each group
    /// is one fixed-combinations rule, led by its finest column, so the model only makes combinations the data holds.
    /// </summary>
    private static IEnumerable<DetectedConstraint> ConstantPerGroup(Table table, HashSet<string> usable, HashSet<string> taken)
    {
        int n = table.RowCount;
        var columns = table.Columns.Where(c => usable.Contains(c.Name) && !taken.Contains(c.Name) && c is not DateTimeColumn)
            .Select((c, at) => (Column: c, Codes: Codes(c, out int distinct), Distinct: distinct, At: at))
            .Where(c => c.Distinct >= 2 && c.Distinct <= Math.Min(MaxGroups, n / MinRowsPerGroup))
            // The finest column leads its group (a country determines its code); of equals, the first in the table.
            .OrderByDescending(c => c.Distinct).ThenBy(c => c.At).ToList();
        for (int i = 0; i < columns.Count; i++)
        {
            var lead = columns[i];
            if (taken.Contains(lead.Column.Name)) continue;
            var followers = columns.Where((c, j) => j != i && !taken.Contains(c.Column.Name) && c.Distinct <= lead.Distinct
                && Determines(lead.Codes, lead.Distinct, c.Codes)).ToList();
            if (followers.Count == 0) continue;
            taken.Add(lead.Column.Name);
            foreach (var f in followers) taken.Add(f.Column.Name);
            var names = new[] { lead.Column.Name }.Concat(followers.Select(f => f.Column.Name)).ToArray();
            string how = followers.All(f => f.Distinct == lead.Distinct)
                ? "is a fixed 1:1 relabelling of" : "is constant within each value of";
            yield return new DetectedConstraint(new FixedCombinationsConstraint(names),
                $"{string.Join(", ", followers.Select(f => $"'{f.Column.Name}'"))} {how} '{lead.Column.Name}' ({lead.Distinct} values) in every one of the {n:N0} rows; modelled as one category so no other combination is made");
        }
    }

    private static bool Determines(int[] lead, int leadDistinct, int[] follower)
    {
        var seen = new int[leadDistinct + 1];
        Array.Fill(seen, -1);
        for (int r = 0; r < lead.Length; r++)
        {
            ref int slot = ref seen[lead[r]];
            if (slot < 0) slot = follower[r];
            else if (slot != follower[r]) return false;
        }
        return true;
    }

    /// <summary>A dense code per row (missing is a code of its own) and the number of distinct present values.</summary>
    private static int[] Codes(Column c, out int distinct)
    {
        var codes = new int[c.Length];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var numbers = new Dictionary<double, int>();
        int missingCode = -1;
        for (int r = 0; r < c.Length; r++)
        {
            if (c.IsMissing(r)) { codes[r] = missingCode < 0 ? missingCode = index.Count + numbers.Count : missingCode; continue; }
            if (c is NumericColumn n)
            {
                if (!numbers.TryGetValue(n[r], out int k)) numbers[n[r]] = k = index.Count + numbers.Count + (missingCode >= 0 ? 1 : 0);
                codes[r] = k;
            }
            else
            {
                var v = c.FormatValue(r)!;
                if (!index.TryGetValue(v, out int k)) index[v] = k = index.Count + numbers.Count + (missingCode >= 0 ? 1 : 0);
                codes[r] = k;
            }
            if (index.Count + numbers.Count > MaxGroups) { distinct = int.MaxValue; return codes; }
        }
        distinct = index.Count + numbers.Count;
        return codes;
    }

    private static bool IsZeroOneOrConstant(NumericColumn c)
    {
        double? first = null;
        bool zeroOne = true, constant = true;
        for (int r = 0; r < c.Length; r++)
        {
            if (c.IsMissing(r)) continue;
            double v = c[r];
            if (v is not (0 or 1)) zeroOne = false;
            if (first is null) first = v;
            else if (v != first) constant = false;
            if (!zeroOne && !constant) return false;
        }
        return true;
    }
}
