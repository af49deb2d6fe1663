using Microsoft.Data.Sqlite;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Schema.Relational;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Relational;

/// <summary>Reading a whole database: keys from metadata.json or a catalogue, orphans, bad keys, subsets (in-repo chinook).</summary>
public sealed class RelationalSourceTests
{
    [Fact]
    public void Chinook_folder_reads_every_table_with_its_declared_keys()
    {
        var db = TestData.Chinook();
        Assert.Equal(TestData.ChinookTables.Order(), db.Metadata.Tables.Order());
        Assert.Equal(15_607, db.RowCount);
        Assert.Equal(["PlaylistId", "TrackId"], db.Metadata.PrimaryKeys["PlaylistTrack"]);
        Assert.Equal(11, db.Metadata.ForeignKeys.Count);
        Assert.Contains(ForeignKey.Parse("Employee.ReportsTo -> Employee.EmployeeId"), db.Metadata.ForeignKeys);
        Assert.All(db.Metadata.ForeignKeyReasons.Values, r => Assert.False(r.Proposed));
        Assert.Empty(db.Orphans);
        var order = db.Metadata.ParentsFirst.ToList();
        Assert.True(order.IndexOf("Artist") < order.IndexOf("Album") && order.IndexOf("Album") < order.IndexOf("Track")
            && order.IndexOf("Track") < order.IndexOf("PlaylistTrack") && order.IndexOf("Invoice") < order.IndexOf("InvoiceLine"));
    }

    [Fact]
    public void Without_metadata_keys_are_proposed_with_reasons_and_match_the_declared_ones()
    {
        var folder = CopyChinook(withMetadata: false);
        var db = RelationalSource.Read(folder);
        var declared = TestData.Chinook().Metadata;
        foreach (var table in declared.Tables)
            Assert.Equal(declared.PrimaryKeys[table], db.Metadata.PrimaryKeys[table]);
        Assert.All(db.Metadata.PrimaryKeyReasons.Values, r => Assert.True(r.Proposed));
        Assert.Contains("named after table 'Album'", db.Metadata.PrimaryKeyReasons["Album"].Text);
        // The two keys whose names do not say their parent (SupportRepId, ReportsTo) are not found; all others are.
        var missed = declared.ForeignKeys.Except(db.Metadata.ForeignKeys).Select(f => f.ToString()).Order().ToList();
        Assert.Equal(["Customer.SupportRepId -> Employee.EmployeeId", "Employee.ReportsTo -> Employee.EmployeeId"], missed);
        Assert.Empty(db.Metadata.ForeignKeys.Except(declared.ForeignKeys));
        Assert.Contains("100% of 2,240 values found in Invoice.InvoiceId", db.Metadata.ForeignKeyReasons[ForeignKey.Parse("InvoiceLine.InvoiceId -> Invoice.InvoiceId")].Text);
    }

    [Theory]
    [InlineData(OrphanPolicy.AsMissing, 2_240, 3)]
    [InlineData(OrphanPolicy.Drop, 2_237, 0)]
    [InlineData(OrphanPolicy.Keep, 2_240, 0)]
    public void Orphans_are_counted_reported_and_treated_per_option(OrphanPolicy policy, int rows, int missingTracks)
    {
        var folder = CopyChinook(withMetadata: true);
        var path = Path.Combine(folder, "InvoiceLine.csv");
        var lines = File.ReadAllLines(path);
        for (int i = 1; i <= 3; i++)   // three invoice lines name tracks that do not exist
        {
            var fields = lines[i * 100].Split(',');
            fields[2] = (90_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            lines[i * 100] = string.Join(',', fields);
        }
        File.WriteAllLines(path, lines);
        var warnings = new List<string>();
        var db = RelationalSource.Read(folder, new RelationalReadOptions { Orphans = policy, Warning = warnings.Add });
        var report = Assert.Single(db.Orphans);
        Assert.Equal("InvoiceLine.TrackId -> Track.TrackId", report.ForeignKey.ToString());
        Assert.Equal(3, report.Rows);
        Assert.Equal("row 100: 90001", report.Example);
        Assert.Contains(warnings, w => w.Contains("3 orphan rows", StringComparison.Ordinal));
        Assert.Equal(rows, db["InvoiceLine"].RowCount);
        Assert.Equal(missingTracks, db["InvoiceLine"]["TrackId"].MissingCount);
    }

    [Fact]
    public void A_primary_key_that_is_not_unique_keeps_its_first_row_and_says_so()
    {
        var folder = CopyChinook(withMetadata: true);
        var path = Path.Combine(folder, "Genre.csv");
        var lines = File.ReadAllLines(path).ToList();
        lines.Add(lines[3].Replace("Metal", "Metal (again)", StringComparison.Ordinal));
        File.WriteAllLines(path, lines);
        var warnings = new List<string>();
        var db = RelationalSource.Read(folder, new RelationalReadOptions { Warning = warnings.Add });
        var line = Assert.Single(warnings);
        Assert.Contains("table 'Genre': the primary key (GenreId) is not unique: 1 row", line);
        Assert.Contains("e.g. 3 is in rows 3 and 26", line);
        Assert.Equal(25, db["Genre"].RowCount);
        Assert.DoesNotContain("Metal (again)", Enumerable.Range(0, 25).Select(r => db["Genre"]["Name"].FormatValue(r)));
    }

    [Fact]
    public void A_subset_must_be_connected_through_foreign_keys()
    {
        var db = RelationalSource.Read(TestData.ChinookFolder(), new RelationalReadOptions { Tables = ["Album", "Artist", "Track"] });
        Assert.Equal(["Album", "Artist", "Track"], db.Metadata.Tables.Order());
        Assert.Equal(2, db.Metadata.ForeignKeys.Count);
        var e = Assert.Throws<SchemaException>(() => RelationalSource.Read(TestData.ChinookFolder(), new RelationalReadOptions { Tables = ["Genre", "Artist"] }));
        Assert.Equal("relational.disconnected", e.Code);
        Assert.Contains("Artist | Genre", e.Message);
    }

    [Fact]
    public void Sqlite_catalogue_gives_composite_keys_self_references_and_keys_without_column_lists()
    {
        var path = Path.Combine(TestData.NewTempDir(), "teams.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE Teams (yearID INTEGER, teamID TEXT, name TEXT, PRIMARY KEY (yearID, teamID));
                CREATE TABLE People (playerID TEXT PRIMARY KEY, mentor TEXT REFERENCES People);
                CREATE TABLE Salaries (yearID INTEGER, teamID TEXT, playerID TEXT REFERENCES People (playerID), salary REAL,
                    FOREIGN KEY (yearID, teamID) REFERENCES Teams (yearID, teamID));
                INSERT INTO Teams VALUES (1985, 'ATL', 'Atlanta Braves'), (1985, 'BOS', 'Boston Red Sox'), (1986, 'ATL', 'Atlanta Braves');
                INSERT INTO People VALUES ('aaronha01', NULL), ('barkele01', 'aaronha01'), ('bedrost01', 'aaronha01');
                INSERT INTO Salaries VALUES (1985, 'ATL', 'barkele01', 870000), (1986, 'ATL', 'bedrost01', 550000), (1985, 'BOS', 'barkele01', 90000);
                """;
            command.ExecuteNonQuery();
        }
        var db = RelationalSource.Read(path);
        Assert.Equal(["yearID", "teamID"], db.Metadata.PrimaryKeys["Teams"]);
        Assert.Equal(["People", "Salaries", "Teams"], db.Metadata.Tables);
        Assert.Equal(["People.mentor -> People.playerID", "Salaries.playerID -> People.playerID", "Salaries.yearID,teamID -> Teams.yearID,teamID"],
            db.Metadata.ForeignKeys.Select(f => f.ToString()).Order());
        Assert.All(db.Metadata.ForeignKeyReasons.Values, r => Assert.Equal("declared: FOREIGN KEY in the database", r.ToString()));
        Assert.Equal(["People", "Teams", "Salaries"], db.Metadata.ParentsFirst);
    }

    /// <summary>A writable copy of the in-repo chinook folder (optionally without its metadata.json).</summary>
    internal static string CopyChinook(bool withMetadata)
    {
        var source = TestData.ChinookFolder();
        var folder = TestData.NewTempDir();
        foreach (var table in TestData.ChinookTables) File.Copy(Path.Combine(source, table + ".csv"), Path.Combine(folder, table + ".csv"));
        if (withMetadata) File.Copy(Path.Combine(source, "metadata.json"), Path.Combine(folder, "metadata.json"));
        return folder;
    }
}
