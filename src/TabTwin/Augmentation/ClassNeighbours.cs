using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Augmentation;

/// <summary>
/// Exact k-nearest-neighbour search among the rows of one class under the SMOTE-NC distance:
/// <code>d²(a, b) = Σ_numeric ((a_j − b_j) / σ_j)² + Σ_categorical [a_j ≠ b_j]</code>
/// where σ_j is the real column's standard deviation (numbers and datetimes standardized, so the median σ that SMOTE-NC
/// charges per differing category is 1). A missing value differs from any present one by one full unit and equals
/// another missing value. Id, personal-data and text columns and the target take no part. Each query row is computed
/// on its own with ties broken by row order, so the result is the same whatever the thread count.
/// </summary>
internal sealed class ClassNeighbours
{
    private readonly double[][] _numbers;      // per numeric column, standardized value per real row (NaN = missing)
    private readonly int[][] _categories;      // per categorical column, code per real row (−1 = missing)

    private ClassNeighbours(double[][] numbers, int[][] categories)
    {
        _numbers = numbers;
        _categories = categories;
    }

    public static ClassNeighbours Build(Table real, TableSchema schema, string target)
    {
        var numbers = new List<double[]>();
        var categories = new List<int[]>();
        foreach (var c in schema.Columns)
        {
            if (c.Name == target) continue;
            var column = real[c.Name];
            switch (NewRowColumns.RoleOf(c, column))
            {
                case NewRowColumns.Role.Number or NewRowColumns.Role.Date:
                    var (std, _, _) = NewRowColumns.Spread(column);
                    double scale = std > 0 && double.IsFinite(std) ? std : 1;
                    var values = new double[column.Length];
                    for (int i = 0; i < values.Length; i++) values[i] = column.IsMissing(i) ? double.NaN : NewRowColumns.Value(column, i) / scale;
                    numbers.Add(values);
                    break;
                case NewRowColumns.Role.Copy when c.Kind is ColumnKind.Categorical or ColumnKind.Boolean:
                    categories.Add(Codes(column));
                    break;
            }
        }
        return new ClassNeighbours(numbers.ToArray(), categories.ToArray());
    }

    /// <summary>Integer codes of a column's values (−1 = missing); equal values get equal codes.</summary>
    public static int[] Codes(Column column)
    {
        if (column is CategoricalColumn c) return c.Codes.ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = new int[column.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            var key = column.FormatValue(i);
            if (key is null) { codes[i] = -1; continue; }
            if (!index.TryGetValue(key, out int code)) index[key] = code = index.Count;
            codes[i] = code;
        }
        return codes;
    }

    private static double NumberTerm(double u, double v)
    {
        bool mu = double.IsNaN(u), mv = double.IsNaN(v);
        if (mu || mv) return mu != mv ? 1 : 0;
        return (u - v) * (u - v);
    }

    /// <summary>
    /// A search over <paramref name="candidates"/>: their values copied row by row into two contiguous blocks, so a
    /// query walks memory in order instead of jumping between one array per column.
    /// </summary>
    public Search Over(int[] candidates) => new(this, candidates);

    /// <summary>k-nearest search among fixed candidate rows; thread-safe (read-only after construction).</summary>
    public sealed class Search
    {
        private readonly ClassNeighbours _space;
        private readonly int[] _rows;
        private readonly double[] _numbers;   // candidate i, numeric column j at i·dn + j
        private readonly int[] _categories;   // candidate i, categorical column j at i·dc + j
        private readonly int _dn, _dc;

        internal Search(ClassNeighbours space, int[] rows)
        {
            _space = space;
            _rows = rows;
            _dn = space._numbers.Length;
            _dc = space._categories.Length;
            _numbers = new double[rows.Length * _dn];
            _categories = new int[rows.Length * _dc];
            for (int i = 0; i < rows.Length; i++)
            {
                for (int j = 0; j < _dn; j++) _numbers[i * _dn + j] = space._numbers[j][rows[i]];
                for (int j = 0; j < _dc; j++) _categories[i * _dc + j] = space._categories[j][rows[i]];
            }
        }

        /// <summary>The <paramref name="k"/> candidates nearest to row <paramref name="query"/> (itself excluded), nearest first; ties keep the earlier candidate.</summary>
        public int[] Nearest(int query, int k)
        {
            var q = new double[_dn];
            var qc = new int[_dc];
            for (int j = 0; j < _dn; j++) q[j] = _space._numbers[j][query];
            for (int j = 0; j < _dc; j++) qc[j] = _space._categories[j][query];
            var best = new int[k];
            var dist = new double[k];
            int filled = 0;
            for (int i = 0; i < _rows.Length; i++)
            {
                if (_rows[i] == query) continue;
                // Stop summing once this candidate cannot enter the list (terms are never negative).
                double bound = filled == k ? dist[k - 1] : double.PositiveInfinity, d = 0;
                int nb = i * _dn, cb = i * _dc;
                for (int j = 0; j < _dn && d < bound; j++) d += NumberTerm(q[j], _numbers[nb + j]);
                for (int j = 0; j < _dc && d < bound; j++) if (qc[j] != _categories[cb + j]) d += 1;
                if (d >= bound) continue;
                int pos = filled < k ? filled++ : k - 1;
                while (pos > 0 && dist[pos - 1] > d) { dist[pos] = dist[pos - 1]; best[pos] = best[pos - 1]; pos--; }
                dist[pos] = d;
                best[pos] = _rows[i];
            }
            return filled == k ? best : best[..filled];
        }
    }
}
