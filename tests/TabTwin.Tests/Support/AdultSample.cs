using System.Globalization;
using TabTwin.Schema;
using TabTwin.Tables;

namespace TabTwin.Tests.Support;

/// <summary>
/// The first rows of ../shared/datasets/adult/adult.csv, parsed by a tiny local reader (the file has no quoted
/// fields; empty fields are missing). Numeric columns become numerical, 'sex' boolean (a two-valued categorical
/// column), everything else categorical. Stands in until the I/O package's TableReader is merged.
/// </summary>
public static class AdultSample
{
    private static readonly Lazy<(Table, TableSchema)> Cached = new(() => Load(4000));

    public static (Table Table, TableSchema Schema) First4000 => Cached.Value;

    public static (Table Table, TableSchema Schema) Load(int rows)
    {
        var lines = File.ReadLines(TestData.Dataset("adult", "adult.csv")).Take(rows + 1).ToArray();
        var header = lines[0].Split(',');
        var fields = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        var columns = new List<Column>();
        var schema = new List<ColumnSchema>();
        for (int c = 0; c < header.Length; c++)
        {
            var raw = fields.Select(f => f[c].Length == 0 ? null : f[c]).ToArray();
            bool numeric = raw.All(v => v is null || double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            if (numeric)
            {
                var values = raw.Select(v => v is null ? 0 : double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                columns.Add(new NumericColumn(header[c], values, Bitmask.FromBools(raw.Select(v => v is null).ToArray())));
                schema.Add(new ColumnSchema { Name = header[c], Kind = ColumnKind.Numerical });
            }
            else
            {
                columns.Add(CategoricalColumn.FromStrings(header[c], raw));
                schema.Add(new ColumnSchema { Name = header[c], Kind = header[c] == "sex" ? ColumnKind.Boolean : ColumnKind.Categorical });
            }
        }
        return (new Table(columns), new TableSchema { Columns = schema });
    }
}
