using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using ParquetSharp;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

/// <summary>
/// Infinities, NaN and numbers beyond ±1e150 arriving natively from typed inputs (Parquet doubles, SQLite REAL, DuckDB
/// DOUBLE, .NET doubles) are missing exactly as in delimited text, and every reader says once per column how many it
/// dropped (issue 15, item 5). The numbers around them are real penguin body masses.
/// </summary>
public class NonFiniteInputTests
{
    private const int Rows = 120;

    /// <summary>Real masses with every tenth replaced by one of the odd values, cycling.</summary>
    private static (double[] Values, bool[] Odd) Masses(params double[] odd)
    {
        var masses = File.ReadLines(TestData.Dataset("penguins", "penguins.csv")).Skip(1).Select(l => l.Split(',')[5])
            .Where(v => v.Length > 0 && v != "NA").Take(Rows).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var isOdd = new bool[Rows];
        for (int i = 0, k = 0; i < Rows; i += 10, k++)
        {
            masses[i] = odd[k % odd.Length];
            isOdd[i] = true;
        }
        return (masses, isOdd);
    }

    private static void AssertDropped(Table table, double[] values, bool[] odd, List<string> warnings, string expectedCounts)
    {
        var mass = Assert.IsType<NumericColumn>(table["mass"]);
        for (int i = 0; i < Rows; i++)
        {
            Assert.Equal(odd[i], mass.Missing[i]);
            if (!odd[i]) Assert.Equal(values[i], mass[i]);
        }
        var warning = Assert.Single(warnings, w => w.Contains("'mass'"));
        Assert.Contains($"{odd.Count(o => o)} values read as missing ({expectedCounts})", warning);
    }

    [Fact]
    public void Parquet_doubles_that_are_infinite_nan_or_huge_are_missing_and_counted_once()
    {
        var (values, odd) = Masses(double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e200, -3e151);
        var path = Path.Combine(TestData.NewTempDir(), "masses.parquet");
        using (var writer = new ParquetFileWriter(path, [new Column<double>("mass"), new Column<int>("row")]))
        {
            using var group = writer.AppendRowGroup();
            using (var w = group.NextColumn().LogicalWriter<double>()) w.WriteBatch(values);
            using (var w = group.NextColumn().LogicalWriter<int>()) w.WriteBatch(Enumerable.Range(0, Rows).ToArray());
            writer.Close();
        }
        var warnings = new List<string>();
        AssertDropped(TableReader.Read(path, new ReadOptions { Warning = warnings.Add }), values, odd, warnings, "6 infinite, 2 NaN, 4 beyond ±1e150");

        // Through the CLI: said on stderr, and nothing infinite or huge is written.
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out.csv");
        var run = CliRunner.Run("run", path, "-o", output, "--seed", "3");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Single(run.ErrorLines, l => l.StartsWith("warning:") && l.Contains("'mass'") && l.Contains("12 values read as missing"));
        foreach (var line in File.ReadLines(output).Skip(1))
        {
            var field = line.Split(',')[0];
            Assert.True(field.Length == 0 || double.Parse(field, CultureInfo.InvariantCulture) is var x && Math.Abs(x) < 1e5, line);
        }
    }

    [Fact]
    public void Sqlite_real_infinities_and_huge_values_are_missing_and_counted_once()
    {
        // SQLite stores a NaN as NULL itself, so only infinities and huge values reach the reader.
        var (values, odd) = Masses(double.PositiveInfinity, 1e300, double.NegativeInfinity);
        var path = Path.Combine(TestData.NewTempDir(), "masses.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var create = c.CreateCommand();
            create.CommandText = "CREATE TABLE t (mass REAL, row INTEGER)";
            create.ExecuteNonQuery();
            using var tx = c.BeginTransaction();
            using var insert = c.CreateCommand();
            insert.CommandText = "INSERT INTO t VALUES ($m, $r)";
            var m = insert.Parameters.Add("$m", SqliteType.Real);
            var r = insert.Parameters.Add("$r", SqliteType.Integer);
            for (int i = 0; i < Rows; i++) { m.Value = values[i]; r.Value = i; insert.ExecuteNonQuery(); }
            tx.Commit();
        }
        var warnings = new List<string>();
        AssertDropped(TableReader.Read(path, new ReadOptions { Warning = warnings.Add }), values, odd, warnings, "8 infinite, 4 beyond ±1e150");
    }

    [Fact]
    public void DuckDb_doubles_that_are_infinite_nan_or_huge_are_missing_and_counted_once()
    {
        var (values, odd) = Masses(double.PositiveInfinity, double.NaN, 1e200, double.NegativeInfinity);
        var path = Path.Combine(TestData.NewTempDir(), "masses.duckdb");
        using (var c = new DuckDBConnection($"Data Source={path}"))
        {
            c.Open();
            using var command = c.CreateCommand();
            string Literal(double v) => double.IsNaN(v) ? "'nan'::DOUBLE" : double.IsPositiveInfinity(v) ? "'inf'::DOUBLE"
                : double.IsNegativeInfinity(v) ? "'-inf'::DOUBLE" : v.ToString("R", CultureInfo.InvariantCulture);
            command.CommandText = "CREATE TABLE t (mass DOUBLE); INSERT INTO t VALUES " + string.Join(", ", values.Select(v => $"({Literal(v)})"));
            command.ExecuteNonQuery();
        }
        var warnings = new List<string>();
        AssertDropped(TableReader.Read(path, new ReadOptions { Warning = warnings.Add }), values, odd, warnings, "6 infinite, 3 NaN, 3 beyond ±1e150");
    }

    private sealed record Penguin(double mass, int row);

    [Fact]
    public void Net_object_doubles_and_csv_text_are_dropped_and_counted_the_same_way()
    {
        var (values, odd) = Masses(double.NaN, double.PositiveInfinity, 2e151);
        var warnings = new List<string>();
        var objects = ObjectTables.FromObjects(values.Select((v, i) => new Penguin(v, i)), warnings.Add);
        AssertDropped(objects, values, odd, warnings, "4 infinite, 4 NaN, 4 beyond ±1e150");

        // Text spellings: "nan" and "inf" are counted; "NaN" is a configured missing token (the user's word), so it is not.
        var path = Path.Combine(TestData.NewTempDir(), "masses.csv");
        var text = values.Select((v, i) => double.IsNaN(v) ? "nan" : double.IsInfinity(v) ? "inf" : v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        File.WriteAllLines(path, ["mass,row", .. text.Select((t, i) => $"{t},{i}"), "NaN,999"]);
        warnings.Clear();
        var csv = TableReader.Read(path, new ReadOptions { Warning = warnings.Add });
        Assert.Equal(Rows + 1, csv.RowCount);
        AssertDropped(csv.Take(Enumerable.Range(0, Rows).ToArray()), values, odd, warnings, "4 infinite, 4 NaN, 4 beyond ±1e150");
    }
}
