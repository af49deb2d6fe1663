using TabTwin.Evaluation;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.GaussianCopula;

/// <summary>UCI Adult for the copula tests: read with TableReader, its schema and the 80/20 split with seed 0.</summary>
internal static class AdultData
{
    public static readonly string[] NumericalColumns = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"];

    private static readonly Lazy<Table> Full = new(() => Parse(TestData.Dataset("adult", "adult.csv")));
    private static readonly Lazy<(Table Train, Table Holdout)> SplitLazy = new(() => SplitRows(Full.Value, 0));

    public static Table Table => Full.Value;
    public static Table Train => SplitLazy.Value.Train;
    public static Table Holdout => SplitLazy.Value.Holdout;

    public static TableSchema Schema => new()
    {
        Columns = Table.Columns.Select(c => new ColumnSchema
        {
            Name = c.Name,
            Kind = NumericalColumns.Contains(c.Name) ? ColumnKind.Numerical : ColumnKind.Categorical,
        }).ToList(),
    };

    public static (Table Train, Table Holdout) SplitRows(Table table, int seed) => HoldoutSplit.Split(table, 0.8, (ulong)seed);

    private static Table Parse(string path) => TableReader.Read(path);
}
