using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Generation.Benchmarks;

/// <summary>
/// Where each raw feature (numbered in role order: informative, redundant, repeated, noise) lands among the output
/// columns, and what each column is called. Shared by the classification and regression generators.
/// </summary>
internal sealed class FeatureLayout
{
    private readonly FeatureRole[] _rawRoles;
    private readonly int[] _rawRoleIndex;

    public FeatureLayout(int informative, int redundant, int repeated, int noise, FeatureNaming naming, bool shuffle, SeededRandom random)
    {
        int total = informative + redundant + repeated + noise;
        _rawRoles = new FeatureRole[total];
        _rawRoleIndex = new int[total];
        int j = 0;
        foreach (var (role, count) in new[] { (FeatureRole.Informative, informative), (FeatureRole.Redundant, redundant), (FeatureRole.Repeated, repeated), (FeatureRole.Noise, noise) })
            for (int k = 0; k < count; k++, j++) { _rawRoles[j] = role; _rawRoleIndex[j] = k; }

        RawOfColumn = Enumerable.Range(0, total).ToArray();
        if (shuffle) random.Shuffle<int>(RawOfColumn);
        ColumnOfRaw = new int[total];
        for (int c = 0; c < total; c++) ColumnOfRaw[RawOfColumn[c]] = c;
        Names = new string[total];
        for (int c = 0; c < total; c++)
        {
            int raw = RawOfColumn[c];
            Names[c] = naming == FeatureNaming.Indexed ? "x" + c : RoleName(_rawRoles[raw]) + "_" + (_rawRoleIndex[raw] + 1);
        }
    }

    public int Count => RawOfColumn.Length;
    /// <summary>Output column c shows raw feature RawOfColumn[c].</summary>
    public int[] RawOfColumn { get; }
    public int[] ColumnOfRaw { get; }
    public string[] Names { get; }

    public FeatureRole RoleOfRaw(int raw) => _rawRoles[raw];
    public int RoleIndexOfRaw(int raw) => _rawRoleIndex[raw];

    /// <summary>Names of the raw features [first, first+count) in raw order (e.g. the informative ones by subspace axis).</summary>
    public string[] NamesOfRaw(int first, int count) => Enumerable.Range(first, count).Select(r => Names[ColumnOfRaw[r]]).ToArray();

    /// <summary>Fisher–Yates with the setup stream (the order of draws is part of the output's identity).</summary>
    private static string RoleName(FeatureRole role) => role switch
    {
        FeatureRole.Informative => "informative",
        FeatureRole.Redundant => "redundant",
        FeatureRole.Repeated => "repeated",
        _ => "noise",
    };

    /// <summary>Wraps generated arrays as numeric columns without scanning them (the shape is known).</summary>
    public static NumericColumn Numeric(string name, double[] values, int? decimals) =>
        new(name, values, null, isInteger: false, decimalPlaces: decimals ?? 0);

    /// <summary>Runs <paramref name="body"/> over fixed blocks of [0, count) in parallel; each block writes only its own rows.</summary>
    public static void ForEachBlock(int count, int? maxThreads, Action<int, int> body)
    {
        const int BlockRows = 8192;
        int blocks = (count + BlockRows - 1) / BlockRows;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads is > 0 ? maxThreads.Value : -1 };
        Parallel.For(0, blocks, parallel, b =>
        {
            int start = b * BlockRows;
            body(start, Math.Min(count, start + BlockRows));
        });
    }
}
