using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Sampling.Augmentation;

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

    public double SquaredDistance(int a, int b)
    {
        double sum = 0;
        foreach (var x in _numbers)
        {
            double u = x[a], v = x[b];
            bool mu = double.IsNaN(u), mv = double.IsNaN(v);
            if (mu || mv) { if (mu != mv) sum += 1; continue; }
            sum += (u - v) * (u - v);
        }
        foreach (var c in _categories) if (c[a] != c[b]) sum += 1;
        return sum;
    }

    /// <summary>The <paramref name="k"/> rows of <paramref name="candidates"/> nearest to <paramref name="query"/> (itself excluded), nearest first.</summary>
    public int[] Nearest(int query, int[] candidates, int k)
    {
        var best = new int[k];
        var dist = new double[k];
        int filled = 0;
        foreach (int row in candidates)
        {
            if (row == query) continue;
            double d = SquaredDistance(query, row);
            if (filled == k && d >= dist[k - 1]) continue;   // ties keep the earlier row
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && dist[pos - 1] > d) { dist[pos] = dist[pos - 1]; best[pos] = best[pos - 1]; pos--; }
            dist[pos] = d;
            best[pos] = row;
        }
        return filled == k ? best : best[..filled];
    }
}
