using TabTwin.Encoding;
using TabTwin.Models;
using TabTwin.Tables;

namespace TabTwin.Synthesizers.NeuralData;

/// <summary>The frequent exact values ("atoms", e.g. capital-gain = 0) of one continuous encoded column.</summary>
public sealed record PointMassColumn(int Column, string Name, double[] Atoms);

/// <summary>
/// Separates point masses from the continuous part of numeric columns before mode-specific normalisation.
/// <para>
/// Why: a value held by most rows (capital-gain = 0 in 92 % of Adult) forms a Gaussian-mixture mode whose
/// posterior variance is inflated by the prior (≈ column variance / rows in the mode), so decoded values blur
/// around the atom (1, 4, 17 … instead of 0). Here a continuous column with atoms becomes two columns: the column
/// with its atom rows marked missing, plus a discrete column appended at the end (code 0 = a regular value,
/// code k = atom k, missing = the value was missing). <see cref="Merge"/> puts them back: an atom code yields the
/// exact atom; code 0 yields the continuous value (or the most frequent atom if the model left it missing).
/// </para>
/// </summary>
public sealed class PointMasses
{
    private const string Suffix = "\u0001atom";

    public PointMasses(IReadOnlyList<PointMassColumn> columns, int baseColumns)
    {
        Columns = columns?.ToArray() ?? throw new ArgumentNullException(nameof(columns));
        BaseColumns = baseColumns;
    }

    /// <summary>The columns that were split, in column order.</summary>
    public IReadOnlyList<PointMassColumn> Columns { get; }
    /// <summary>Columns of the encoded table before splitting.</summary>
    public int BaseColumns { get; }

    /// <summary>
    /// Finds, per continuous column, up to <paramref name="maxAtoms"/> values each held by at least
    /// <paramref name="minShare"/> of the present rows; a column is split only if at least max(10, 1 %) of its
    /// present rows are regular values left for the mixture.
    /// </summary>
    public static PointMasses Fit(EncodedTable table, double minShare = 0.05, int maxAtoms = 3)
    {
        ArgumentNullException.ThrowIfNull(table);
        var found = new List<PointMassColumn>();
        for (int j = 0; j < table.Columns.Count; j++)
        {
            var c = table[j];
            if (c.Kind != EncodedKind.Continuous) continue;
            var counts = new Dictionary<double, int>();
            int present = 0;
            for (int i = 0; i < c.Length; i++)
            {
                if (c.Missing[i]) continue;
                present++;
                counts[c.Values![i]] = counts.GetValueOrDefault(c.Values![i]) + 1;
            }
            var atoms = counts.Where(p => p.Value >= minShare * present).OrderByDescending(p => p.Value).ThenBy(p => p.Key)
                .Take(maxAtoms).ToArray();
            int regular = present - atoms.Sum(p => p.Value);
            if (atoms.Length == 0 || regular < Math.Max(10, 0.01 * present)) continue;
            found.Add(new PointMassColumn(j, c.Name, atoms.Select(p => p.Key).ToArray()));
        }
        return new PointMasses(found, table.Columns.Count);
    }

    /// <summary>The table with atoms moved out of their continuous columns into appended discrete columns.</summary>
    public EncodedTable Split(EncodedTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Columns.Count != BaseColumns) throw new ArgumentException($"The table has {table.Columns.Count} columns; point masses were fitted on {BaseColumns}.");
        var columns = table.Columns.ToList();
        int n = table.RowCount;
        foreach (var pm in Columns)
        {
            var c = table[pm.Column];
            var missing = c.Missing.ToBools();
            var codes = new int[n];
            var regularMissing = (bool[])missing.Clone();
            for (int i = 0; i < n; i++)
            {
                if (missing[i]) continue;
                int k = Array.IndexOf(pm.Atoms, c.Values![i]);
                if (k < 0) continue;
                codes[i] = k + 1;
                regularMissing[i] = true;
            }
            columns[pm.Column] = EncodedColumn.Continuous(c.Name, c.Values!, Bitmask.FromBools(regularMissing));
            columns.Add(EncodedColumn.Discrete(c.Name + Suffix, codes, pm.Atoms.Length + 1, c.Missing));
        }
        return new EncodedTable(columns, n);
    }

    /// <summary>Inverse of <see cref="Split"/> on a generated table of the split layout.</summary>
    public EncodedTable Merge(EncodedTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Columns.Count != BaseColumns + Columns.Count) throw new ArgumentException($"The table has {table.Columns.Count} columns; the split layout has {BaseColumns + Columns.Count}.");
        var columns = table.Columns.Take(BaseColumns).ToList();
        int n = table.RowCount;
        for (int a = 0; a < Columns.Count; a++)
        {
            var pm = Columns[a];
            var regular = table[pm.Column];
            var atom = table[BaseColumns + a];
            var values = new double[n];
            var missing = new bool[n];
            for (int i = 0; i < n; i++)
            {
                if (atom.Missing[i]) { missing[i] = true; continue; }
                int code = atom.Codes![i];
                values[i] = code > 0 ? pm.Atoms[code - 1] : regular.Missing[i] ? pm.Atoms[0] : regular.Values![i];
            }
            columns[pm.Column] = EncodedColumn.Continuous(regular.Name, values, Bitmask.FromBools(missing));
        }
        return new EncodedTable(columns, n);
    }

    public void Write(ModelBundleWriter bundle, string name)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        bundle.WriteJson(name, new Document(BaseColumns, Columns.ToArray()), SynthesizerJson.Options);
    }

    public static PointMasses Read(ModelBundleReader bundle, string name)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var d = bundle.ReadJson<Document>(name, SynthesizerJson.Options);
        if (d.Columns is null || d.Columns.Any(c => c?.Atoms is not { Length: > 0 } || c.Column < 0 || c.Column >= d.BaseColumns || c.Atoms.Any(v => !double.IsFinite(v))))
            throw new ModelFileException("model.bad-entry", $"Model entry '{name}': point-mass columns are missing or inconsistent.", bundle.File);
        return new PointMasses(d.Columns, d.BaseColumns);
    }

    private sealed record Document(int BaseColumns, PointMassColumn[] Columns);
}
