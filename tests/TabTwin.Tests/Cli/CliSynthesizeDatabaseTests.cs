using Microsoft.Data.Sqlite;
using TabTwin.Evaluation.MultiTable;
using TabTwin.IO;
using TabTwin.Tests.MultiTable;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin run</c>, <c>fit</c> and <c>sample</c> on a whole database: chinook's folder in, a SQLite database out.</summary>
public sealed class CliSynthesizeDatabaseTests(ITestOutputHelper output)
{
    [Fact]
    public void Run_writes_a_sqlite_database_whose_foreign_keys_the_database_itself_accepts()
    {
        var dir = TestData.NewTempDir();
        var db = Path.Combine(dir, "synth.sqlite");
        var r = CliRunner.Run("run", TestData.ChinookFolder(), "-o", db, "--seed", "4");
        output.WriteLine(r.Stdout + r.Stderr);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Fitting 11 tables", r.Stderr);
        Assert.Contains("written to", r.Stdout);

        using (var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var fkCheck = connection.CreateCommand();
            fkCheck.CommandText = "PRAGMA foreign_key_check";
            using var violations = fkCheck.ExecuteReader();
            Assert.False(violations.Read(), "the database reports a foreign key violation");
            using var declared = connection.CreateCommand();
            declared.CommandText = "SELECT count(*) FROM pragma_foreign_key_list('InvoiceLine')";
            Assert.Equal(2L, (long)declared.ExecuteScalar()!);
        }
        var synthetic = RelationalSource.Read(db, new RelationalReadOptions { Orphans = TabTwin.Schema.Relational.OrphanPolicy.Keep, ProposeKeys = false });
        Assert.Empty(RelationalSamples.BrokenReferences(synthetic));
        var quality = MultiTableQuality.Evaluate(RelationalSamples.Chinook(), synthetic);
        foreach (var line in quality.SummaryLines()) output.WriteLine(line);

        // An existing output is refused before any work; --overwrite replaces it.
        var again = CliRunner.Run("run", TestData.ChinookFolder(), "-o", db, "-q");
        Assert.Equal(1, again.ExitCode);
        Assert.Single(again.ErrorLines, l => l.StartsWith("error:", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_then_sample_at_half_scale_through_one_model_file()
    {
        var dir = TestData.NewTempDir();
        string model = Path.Combine(dir, "chinook.tabtwin"), folder = Path.Combine(dir, "out");
        var fit = CliRunner.Run("fit", TestData.ChinookFolder(), "-o", model, "--seed", "2", "-q");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        Assert.Contains("Database model (11 tables, 11 foreign keys)", fit.Stdout);
        var sample = CliRunner.Run("sample", model, "-o", folder, "--scale", "0.5", "--seed", "2", "-q");
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        var synthetic = RelationalSource.Read(folder, new RelationalReadOptions { Orphans = TabTwin.Schema.Relational.OrphanPolicy.Keep, ProposeKeys = false });
        Assert.Empty(RelationalSamples.BrokenReferences(synthetic));
        Assert.InRange(synthetic["Artist"].RowCount, 137, 139);   // 275 real artists, half
        var bad = CliRunner.Run("sample", model, "-o", Path.Combine(dir, "x"), "--scale", "-1", "-q");
        Assert.Equal(2, bad.ExitCode);
    }
}
