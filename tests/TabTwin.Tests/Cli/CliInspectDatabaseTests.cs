using TabTwin.IO;
using TabTwin.Schema.Relational;
using TabTwin.Tests.Relational;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

/// <summary><c>tabtwin inspect</c> on whole databases: keys declared or proposed with reasons, orphans, and one clear line for bad input.</summary>
public sealed class CliInspectDatabaseTests
{
    [Fact]
    public void A_folder_without_metadata_prints_proposed_keys_with_reasons_and_writes_metadata_that_reads_back()
    {
        var folder = RelationalSourceTests.CopyChinook(withMetadata: false);
        var output = Path.Combine(TestData.NewTempDir(), "chinook.json");
        var r = CliRunner.Run("inspect", folder, "-o", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("11 tables, 15,607 rows, 9 foreign keys:", r.Stderr);
        Assert.Contains("primary key (PlaylistId, TrackId) — proposed: unique together", r.Stderr);
        Assert.Contains("Track.GenreId -> Genre.GenreId — proposed: same name as Genre's key; 100% of 3,503 values found in Genre.GenreId", r.Stderr);
        // The written metadata, given back with --metadata, declares the same keys.
        var back = RelationalSource.Read(folder, new RelationalReadOptions { MetadataFile = output });
        Assert.Equal(9, back.Metadata.ForeignKeys.Count);
        Assert.All(back.Metadata.ForeignKeyReasons.Values, k => Assert.False(k.Proposed));
    }

    [Fact]
    public void A_sqlite_database_prints_its_declared_keys_and_orphans_counts()
    {
        var path = Path.Combine(TestData.NewTempDir(), "chinook.db");
        RelationalSink.Write(TestData.Chinook(), path);
        var r = CliRunner.Run("inspect", path, "--tables", "Employee,Customer,Invoice");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("3 tables, 479 rows, 3 foreign keys:", r.Stderr);
        Assert.Contains("Employee.ReportsTo -> Employee.EmployeeId — declared: FOREIGN KEY in the database", r.Stderr);
        Assert.Contains("\"MULTI_TABLE_V1\"", r.Stdout);
    }

    [Theory]
    [InlineData("Invoice.CustomerId -> Shop.ShopId", "names table 'Shop', which is not in the database")]
    [InlineData("Invoice.ShopId -> Customer.CustomerId", "names column 'ShopId', which table 'Invoice' does not have")]
    [InlineData("Invoice.CustomerId -> Customer.Country", "Table 'Customer': the primary key (Country) is not unique: Czech Republic is in rows 5 and 6")]
    [InlineData("Customer.SupportRepId -> Employee.EmployeeId\nEmployee.EmployeeId -> Customer.CustomerId", "cycle between tables 'Customer', 'Employee'")]
    public void Bad_keys_are_one_line_and_exit_1(string foreignKeys, string expected)
    {
        var folder = RelationalSourceTests.CopyChinook(withMetadata: false);
        File.WriteAllText(Path.Combine(folder, "foreign_keys.txt"), foreignKeys + "\n");
        var output = Path.Combine(TestData.NewTempDir(), "out.json");
        var r = CliRunner.Run("inspect", folder, "-o", output);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.ErrorLines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(expected, line);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_disconnected_table_set_is_one_line_and_exit_1()
    {
        var r = CliRunner.Run("inspect", TestData.ChinookFolder(), "--tables", "Genre,Artist");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not connected through foreign keys: Artist | Genre", Assert.Single(r.ErrorLines, l => l.StartsWith("error:", StringComparison.Ordinal)));
    }
}
