using Microsoft.Data.Sqlite;
using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.IO;

/// <summary>
/// Words that spell an unusable number (<c>INF</c>, <c>Infinity</c>, <c>1e999</c>) are missing only in a number column:
/// in a text or categorical column they are values — INF is the airport of In Salah, and a synthetic nycflights13 with
/// an airport coded INF must read back with its primary key intact.
/// </summary>
public sealed class NumberWordsTests
{
    // Real FAA/IATA codes from nycflights13's airports (ABQ, ACK, ALB, ANC, ATL, AUS, ...) plus INF and Infinity as codes.
    private static readonly string[] Codes = ["ABQ", "ACK", "ALB", "ANC", "ATL", "AUS", "INF", "AVL", "BDL", "Infinity", "BGR", "BHM"];

    [Fact]
    public void Csv_text_column_keeps_INF_while_a_number_column_drops_inf()
    {
        var path = Path.Combine(TestData.NewTempDir(), "airports.csv");
        File.WriteAllLines(path, ["faa,alt", .. Codes.Select((c, i) => $"{c},{(i == 3 ? "inf" : (i * 100).ToString(System.Globalization.CultureInfo.InvariantCulture))}")]);
        var warnings = new List<string>();
        var table = TableReader.Read(path, new ReadOptions { Warning = warnings.Add });
        Assert.Equal(Codes, Enumerable.Range(0, Codes.Length).Select(i => table["faa"].FormatValue(i)));
        var alt = Assert.IsType<NumericColumn>(table["alt"]);
        Assert.True(alt.Missing[3]);
        Assert.Equal(1, alt.Missing.Count);
        Assert.Single(warnings, w => w.Contains("'alt'") && w.Contains("1 infinite"));
        Assert.DoesNotContain(warnings, w => w.Contains("'faa'"));
    }

    [Fact]
    public void Sqlite_text_key_INF_reads_back_as_a_value()
    {
        var path = Path.Combine(TestData.NewTempDir(), "airports.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var create = c.CreateCommand();
            create.CommandText = "CREATE TABLE airports (faa TEXT PRIMARY KEY, name TEXT)";
            create.ExecuteNonQuery();
            foreach (var code in Codes)
            {
                using var insert = c.CreateCommand();
                insert.CommandText = "INSERT INTO airports VALUES ($c, $n)";
                insert.Parameters.AddWithValue("$c", code);
                insert.Parameters.AddWithValue("$n", code + " Airport");
                insert.ExecuteNonQuery();
            }
        }
        var table = TableReader.Read(path);
        Assert.Equal(0, table["faa"].Missing.Count);
        Assert.Equal(Codes, Enumerable.Range(0, Codes.Length).Select(i => table["faa"].FormatValue(i)));
    }

    [Fact]
    public void Inference_keeps_number_words_in_text_and_drops_them_among_numbers()
    {
        var codes = ColumnInference.Infer("faa", Codes);
        Assert.Equal(0, codes.Missing.Count);
        var numbers = Assert.IsType<NumericColumn>(ColumnInference.Infer("alt", ["1", "inf", "2", "1e999", "3"]));
        Assert.Equal([false, true, false, true, false], Enumerable.Range(0, 5).Select(i => numbers.Missing[i]));
    }
}
