using TabTwin.IO;
using TabTwin.Tables;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

/// <summary>
/// Inputs that used to give wrong output with exit 0 (issue 15, item 5): a header with a repeated or empty name read as
/// a data row, ISO datetimes mixing 'Z' with offsets read as text, infinities and 1e308 turning a numeric column into
/// text and reaching the output.
/// </summary>
public class SilentWrongOutputTests
{
    /// <summary>The first 150 penguins with their header replaced.</summary>
    private static string PenguinsWithHeader(Func<string[], string[]> header)
    {
        var lines = File.ReadLines(TestData.Dataset("penguins", "penguins.csv")).Take(151).ToArray();
        lines[0] = string.Join(",", header(lines[0].Split(',')));
        var path = Path.Combine(TestData.NewTempDir(), "penguins.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void A_repeated_header_name_is_renamed_with_a_warning_and_the_numbers_stay_numbers()
    {
        // species,island,bill_length_mm,bill_depth_mm,... → the two bill columns both named "bill"
        var path = PenguinsWithHeader(h => h.Select(n => n.StartsWith("bill_") ? "bill" : n).ToArray());
        var warnings = new List<string>();
        var t = TableReader.Read(path, new ReadOptions { Warning = warnings.Add });
        Assert.Equal(150, t.RowCount);
        Assert.Contains("bill", t.ColumnNames);
        Assert.Contains("bill_2", t.ColumnNames);
        Assert.IsType<NumericColumn>(t["bill"]);
        Assert.IsType<NumericColumn>(t["bill_2"]);
        Assert.Contains(warnings, w => w.Contains("'bill'") && w.Contains("bill_2"));
    }

    [Fact]
    public void An_empty_header_name_gets_its_position_and_the_cli_warns()
    {
        var path = PenguinsWithHeader(h => h.Select((n, i) => i == 2 ? "" : n).ToArray());
        var t = TableReader.Read(path);
        Assert.Equal(150, t.RowCount);
        Assert.IsType<NumericColumn>(t["column3"]);
        var r = CliRunner.Run("inspect", path, "-q");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning:", r.Stderr);
        Assert.Contains("column3", r.Stderr);
    }

    [Fact]
    public void Iso_datetimes_mixing_z_with_offsets_are_one_datetime_column_with_the_right_instants()
    {
        var path = Path.Combine(TestData.NewTempDir(), "events.csv");
        var rows = Enumerable.Range(0, 60).Select(i =>
        {
            var suffix = (i % 3) switch { 0 => "Z", 1 => "+02:00", _ => "-05:00" };
            return $"{i},2024-03-{1 + i % 28:00}T{i % 24:00}:15:00{suffix}";
        });
        File.WriteAllLines(path, ["id,at", .. rows]);
        var at = Assert.IsType<DateTimeColumn>(TableReader.Read(path)["at"]);
        Assert.True(at.HasOffset);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 15, 0, TimeSpan.Zero), (DateTimeOffset)at.GetValue(0)!);
        Assert.Equal(new DateTimeOffset(2024, 3, 2, 1, 15, 0, TimeSpan.FromHours(2)), (DateTimeOffset)at.GetValue(1)!);
        Assert.Equal(new DateTimeOffset(2024, 3, 3, 2, 15, 0, TimeSpan.FromHours(-5)), (DateTimeOffset)at.GetValue(2)!);
    }

    [Fact]
    public void Infinities_nan_and_1e308_are_missing_so_the_column_stays_numeric_and_never_reaches_the_output()
    {
        var dir = TestData.NewTempDir();
        var path = Path.Combine(dir, "measures.csv");
        var masses = File.ReadLines(TestData.Dataset("penguins", "penguins.csv")).Skip(1).Take(300)
            .Select(l => l.Split(',')[5]).Where(v => v.Length > 0 && v != "NA").ToArray();
        var odd = new[] { "inf", "-inf", "NaN", "1e308", "-1e308", "1.7e308", "Infinity" };
        var values = masses.Select((v, i) => i % 3 == 0 ? odd[i / 3 % odd.Length] : v).ToArray();
        File.WriteAllLines(path, ["mass", .. values]);

        var mass = Assert.IsType<NumericColumn>(TableReader.Read(path)["mass"]);
        for (int i = 0; i < mass.Length; i++)
            Assert.True(mass.Missing[i] || (double.IsFinite(mass[i]) && Math.Abs(mass[i]) < 1e10), $"row {i + 1}: {mass[i]}");
        Assert.Equal(values.Where((_, i) => i % 3 == 0).Count(), Enumerable.Range(0, mass.Length).Count(i => mass.Missing[i]));

        var output = Path.Combine(dir, "out.csv");
        var r = CliRunner.Run("run", path, "-o", output, "-q", "--seed", "2");
        Assert.Equal(0, r.ExitCode);
        var written = File.ReadAllLines(output).Skip(1).Where(v => v.Length > 0).ToArray();
        Assert.All(written, v => Assert.True(double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var x) && x < 1e10, v));
    }

    [Theory]
    [InlineData("cart")]
    [InlineData("gaussian-copula")]
    [InlineData("independent")]
    public void Values_near_the_double_limit_do_not_crash_fit_and_every_written_model_samples(string synthesizer)
    {
        var dir = TestData.NewTempDir();
        var path = Path.Combine(dir, "extreme.csv");
        var values = new[] { "1e308", "-1e308", "1.7e308" };
        var penguins = File.ReadLines(TestData.Dataset("penguins", "penguins.csv")).Skip(1).Take(60).Select(l => l.Split(',')).ToArray();
        File.WriteAllLines(path, ["x,species,mass", .. penguins.Select((p, i) => $"{values[i % 3]},{p[0]},{(p[5] is "NA" or "" ? "4000" : p[5])}")]);
        var model = Path.Combine(dir, "m.tabtwin");
        var fit = CliRunner.Run("fit", path, "-o", model, "-q", "-s", synthesizer);
        Assert.DoesNotContain("internal error", fit.Stderr);
        if (fit.ExitCode != 0) return;   // a clean refusal is acceptable; a model that is written must sample
        var sample = CliRunner.Run("sample", model, "-n", "20", "-o", Path.Combine(dir, "s.csv"), "-q");
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        var run = CliRunner.Run("run", path, "-o", Path.Combine(dir, "r.csv"), "-q", "-s", synthesizer);
        Assert.DoesNotContain("internal error", run.Stderr);
    }
}
