using System.Text.Json;
using Microsoft.Data.Sqlite;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin evaluate</c> on whole databases: the in-repo chinook folder and small SQLite files.</summary>
public sealed class CliEvaluateDatabaseTests
{
    /// <summary>A copy of the chinook folder whose Invoice.csv has its first <paramref name="orphans"/> invoices pointed at customer 999, which does not exist.</summary>
    private static string ChinookWithOrphans(int orphans)
    {
        var dir = Path.Combine(TestData.NewTempDir(), "synthetic");
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(TestData.ChinookFolder()).Where(f => f.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        var lines = File.ReadAllLines(Path.Combine(dir, "Invoice.csv"));
        Assert.StartsWith("InvoiceId,CustomerId,", lines[0]);
        for (int i = 1; i <= orphans; i++)
        {
            var fields = lines[i].Split(',', 3);
            lines[i] = $"{fields[0]},999,{fields[2]}";
        }
        File.WriteAllLines(Path.Combine(dir, "Invoice.csv"), lines);
        return dir;
    }

    [Fact]
    public void Chinook_against_a_copy_with_planted_orphans_prints_each_relationship_and_the_exact_integrity()
    {
        var synthetic = ChinookWithOrphans(4);
        var dir = Path.GetDirectoryName(synthetic)!;
        string json = Path.Combine(dir, "m.json"), report = Path.Combine(dir, "r.html");
        var r = CliRunner.Run("evaluate", "--real", TestData.ChinookFolder(), "--synthetic", synthetic, "--json", json, "--report", report, "-q");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Quality   ", r.Stdout);
        foreach (var property in new[] { "Column Shapes", "Column Pair Trends", "Cardinality", "Intertable Trends" })
            Assert.Contains("  " + property, r.Stdout);
        Assert.Equal(11, r.Stdout.Split('\n').Count(l => l.Contains(" -> ") && l.Contains(": cardinality ")));
        // 412 invoices, 4 naming customer 999: 408 / 412 resolve.
        Assert.Contains($"Invoice.CustomerId -> Customer.CustomerId: cardinality", r.Stdout);
        Assert.Contains($"integrity {408 / 412.0:0.000} (4 orphans)", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var invoice = doc.RootElement.GetProperty("relationships").EnumerateArray().Single(e => e.GetProperty("relationship").GetString() == "Invoice.CustomerId -> Customer.CustomerId");
        Assert.Equal(4, invoice.GetProperty("syntheticIntegrity").GetProperty("childRows").GetInt32() - invoice.GetProperty("syntheticIntegrity").GetProperty("resolved").GetInt32());
        Assert.Contains("<h2 data-table=\"PlaylistTrack\">", File.ReadAllText(report));
    }

    [Fact]
    public void Chinook_folder_against_its_copy_written_to_sqlite_scores_one_everywhere()
    {
        // The same data through another reader: SQLite's column types must not change any score.
        var sqlite = Path.Combine(TestData.NewTempDir(), "chinook.sqlite");
        TabTwin.IO.RelationalSink.Write(TestData.Chinook(), sqlite);
        var r = CliRunner.Run("evaluate", "--real", TestData.ChinookFolder(), "--synthetic", sqlite, "-q");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Quality   1.000", r.Stdout);
        Assert.Equal(11, r.Stdout.Split('\n').Count(l => l.EndsWith(": cardinality 1.000, integrity 1.000", StringComparison.Ordinal)));
        Assert.Contains("Integrity 1.000", r.Stdout);
    }

    [Fact]
    public void Sqlite_databases_are_evaluated_as_a_whole_and_holdout_is_a_usage_error()
    {
        var dir = TestData.NewTempDir();
        string Database(string name, string children)
        {
            var path = Path.Combine(dir, name);
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE shop (id INTEGER PRIMARY KEY, size REAL);
                CREATE TABLE orders (id INTEGER PRIMARY KEY, shop INTEGER REFERENCES shop (id), amount REAL);
                INSERT INTO shop VALUES (1, 10), (2, 20), (3, 30), (4, 40);
                INSERT INTO orders VALUES {children};
                """;
            command.ExecuteNonQuery();
            return path;
        }
        // Real: shops have 0, 0, 1, 3 orders; synthetic: 1 each. Cardinality 1 − KS = 1 − .5 (worked out in MultiTableQualityTests).
        string real = Database("real.db", "(1, 3, 5), (2, 4, 6), (3, 4, 7), (4, 4, 8)");
        string synthetic = Database("synth.db", "(1, 1, 5), (2, 2, 6), (3, 3, 7), (4, 4, 8)");
        var r = CliRunner.Run("evaluate", "--real", real, "--synthetic", synthetic, "-q");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("orders.shop -> shop.id: cardinality 0.500, integrity 1.000", r.Stdout);

        var bad = CliRunner.Run("evaluate", "--real", real, "--synthetic", synthetic, "--holdout", real, "-q");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--holdout applies to one table", bad.Stderr);
    }
}
