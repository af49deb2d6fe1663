using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Support;

/// <summary>
/// The first 4,000 rows of UCI Adult (the in-repo copy, tests/TabTwin.Tests/TestData/adult) read with <see cref="TableReader"/>, with a schema
/// fixed here (not detected, so contract tests do not move with detection rules): numeric columns numerical,
/// 'sex' boolean (a two-valued categorical column), everything else categorical.
/// </summary>
public static class AdultSample
{
    private static readonly Lazy<(Table, TableSchema)> Cached = new(() =>
    {
        var table = TableReader.Read(TestData.Dataset("adult", "adult.csv")).Head(4000);
        var columns = table.Columns.Select(c => new ColumnSchema
        {
            Name = c.Name,
            Kind = c.Name == "sex" ? ColumnKind.Boolean : c.Type == ColumnType.Numeric ? ColumnKind.Numerical : ColumnKind.Categorical,
        }).ToArray();
        return (table, new TableSchema { Columns = columns });
    });

    public static (Table Table, TableSchema Schema) First4000 => Cached.Value;
}
