using TabTwin.MultiTable;
using TabTwin.Schema.Relational;
using TabTwin.Tables;
using Xunit.Abstractions;

namespace TabTwin.Tests.MultiTable;

/// <summary>The whole chinook database (11 tables: a chain, a self-reference, a many-to-many link table, a nullable key) learned and sampled back.</summary>
public sealed class ChinookSynthesisTests(ITestOutputHelper output)
{
    private static readonly List<string> FitWarnings = [];
    private static readonly Lazy<MultiTableModel> Model = new(() => MultiTableSynthesizer.Fit(RelationalSamples.Chinook(), new MultiTableOptions { Seed = 3, Warning = FitWarnings.Add }));
    private static readonly Lazy<RelationalData> Synthetic = new(() => Model.Value.Sample(seed: 11));

    [Fact]
    public void Every_foreign_key_resolves_and_every_primary_key_is_unique()
    {
        var synthetic = Synthetic.Value;
        Assert.Empty(RelationalSamples.BrokenReferences(synthetic).Take(10));
        Assert.Empty(RelationalSamples.BrokenPrimaryKeys(synthetic));
        foreach (var t in synthetic.Metadata.Tables)
        {
            output.WriteLine($"{t}: real {RelationalSamples.Chinook()[t].RowCount}, synthetic {synthetic[t].RowCount}");
            Assert.Equal(RelationalSamples.Chinook()[t].ColumnNames, synthetic[t].ColumnNames);
            Assert.True(synthetic[t].RowCount > 0, $"table {t} is empty");
        }
    }

    [Theory]
    [InlineData("InvoiceLine.InvoiceId -> Invoice.InvoiceId")]
    [InlineData("Invoice.CustomerId -> Customer.CustomerId")]
    public void Children_per_parent_keep_the_real_shape(string key)
    {
        var fk = ForeignKey.Parse(key);
        double ks = RelationalSamples.KsComplement(RelationalSamples.ChildrenPerParent(RelationalSamples.Chinook(), fk),
            RelationalSamples.ChildrenPerParent(Synthetic.Value, fk));
        output.WriteLine($"{fk}: KS complement {ks:F3}");
        Assert.True(ks >= 0.85, $"{fk}: children-per-parent KS complement {ks:F3} < 0.85");
    }

    [Theory]
    [InlineData("InvoiceLine")]
    [InlineData("Invoice")]
    [InlineData("Track")]
    public void The_fit_checks_privacy_on_a_holdout_of_whole_families(string table)
    {
        _ = Model.Value;
        foreach (var w in FitWarnings) output.WriteLine(w);
        Assert.Contains(FitWarnings, w => w.StartsWith($"table '{table}', split by family: privacy check on", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("MediaType")]   // 5 rows of reference labels, each used once
    [InlineData("Employee")]    // 8 people
    public void A_table_under_ten_rows_is_regenerated_never_copied(string table)
    {
        var real = RelationalSamples.Chinook()[table];
        var synthetic = Synthetic.Value[table];
        Assert.Contains(FitWarnings, w => w.StartsWith($"table '{table}' has {real.RowCount} rows", StringComparison.Ordinal) && w.Contains("regenerated, not copied", StringComparison.Ordinal));
        Assert.Equal(real.RowCount, synthetic.RowCount);   // every child still finds a parent among as many rows
        var keys = RelationalSamples.Chinook().Metadata.ForeignKeys.Where(f => f.ChildTable == table || f.ParentTable == table)
            .SelectMany(f => f.ChildTable == table ? f.ChildColumns : f.ParentColumns).ToHashSet();
        var own = real.ColumnNames.Where(c => !keys.Contains(c)).ToArray();
        // No real row comes back, and no real text value fewer than 5 rows share (every label of MediaType, every title of Employee).
        var realRows = RelationalSamples.KeyTexts(real, own).ToHashSet();
        Assert.DoesNotContain(RelationalSamples.KeyTexts(synthetic, own), r => r is not null && realRows.Contains(r));
        foreach (var column in own.Where(c => real[c] is CategoricalColumn or TextColumn))
        {
            var counts = Enumerable.Range(0, real.RowCount).Select(r => real[column].FormatValue(r)).OfType<string>().GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
            var copied = Enumerable.Range(0, synthetic.RowCount).Select(r => synthetic[column].FormatValue(r)).OfType<string>().Where(v => counts.GetValueOrDefault(v) is > 0 and < 5).ToList();
            output.WriteLine($"{table}.{column}: {string.Join(" | ", Enumerable.Range(0, synthetic.RowCount).Select(r => synthetic[column].FormatValue(r)))}");
            Assert.True(copied.Count == 0, $"{table}.{column} emits real rare values: {string.Join(", ", copied)}");
        }
    }

    [Fact]
    public void Playlist_names_every_one_rare_are_new_labels_not_empty_and_not_real()
    {
        var real = RelationalSamples.Chinook()["Playlist"]["Name"];
        var synthetic = Synthetic.Value["Playlist"]["Name"];
        var realNames = Enumerable.Range(0, real.Length).Select(real.FormatValue).OfType<string>().ToHashSet();
        var made = Enumerable.Range(0, synthetic.Length).Select(synthetic.FormatValue).ToList();
        output.WriteLine(string.Join(" | ", made));
        Assert.True(made.Count(v => v is null) <= 1, $"{made.Count(v => v is null)} of {made.Count} playlist names are empty");
        var names = made.OfType<string>().ToList();
        Assert.DoesNotContain(names, realNames.Contains);   // every real name is used by fewer than 5 playlists
        // Shape: lengths within the real ones' range, the real names' characters (no random digit soup).
        Assert.All(names, v => Assert.InRange(v.Length, 2, realNames.Max(n => n.Length) + 10));
        var realChars = realNames.SelectMany(v => v).ToHashSet();
        Assert.True(names.SelectMany(v => v).Count(realChars.Contains) >= 0.95 * names.Sum(v => v.Length));
    }

    [Fact]
    public void The_employee_hierarchy_has_one_root_and_no_cycle()
    {
        var employees = Synthetic.Value["Employee"];
        var ids = employees["EmployeeId"];
        var boss = employees["ReportsTo"];
        var parentOf = Enumerable.Range(0, employees.RowCount).ToDictionary(i => ids.FormatValue(i)!, i => boss.FormatValue(i));
        Assert.Equal(1, parentOf.Values.Count(v => v is null));  // 1 of 8 real employees (the general manager) reports to nobody
        foreach (var start in parentOf.Keys)
        {
            var seen = new HashSet<string>();
            for (string? at = start; at is not null; at = parentOf[at]) Assert.True(seen.Add(at), $"cycle through employee {at}");
        }
    }

    [Fact]
    public void The_link_table_never_repeats_a_playlist_track_pair()
    {
        var links = Synthetic.Value["PlaylistTrack"];
        var pairs = RelationalSamples.KeyTexts(links, ["PlaylistId", "TrackId"]);
        Assert.Equal(pairs.Length, pairs.Distinct().Count());
        Assert.True(links.RowCount > 4000, $"only {links.RowCount} playlist entries (real 8,715)");
    }

    [Fact]
    public void Scale_multiplies_the_root_tables_and_children_follow()
    {
        var half = Model.Value.Sample(scale: 0.5, seed: 11);
        Assert.Empty(RelationalSamples.BrokenReferences(half).Take(10));
        int customers = half["Customer"].RowCount, invoices = half["Invoice"].RowCount;
        output.WriteLine($"scale 0.5: {customers} customers, {invoices} invoices, {half["InvoiceLine"].RowCount} lines");
        Assert.InRange(half["Artist"].RowCount, 137, 139);
        Assert.InRange(invoices / (double)Synthetic.Value["Invoice"].RowCount, 0.3, 0.7);
    }

    [Fact]
    public void Same_seed_gives_identical_tables_on_one_and_two_threads()
    {
        var one = Model.Value.Sample(seed: 5, context: new Synthesizers.SampleContext { MaxThreads = 1 });
        var two = Model.Value.Sample(seed: 5, context: new Synthesizers.SampleContext { MaxThreads = 2 });
        foreach (var t in one.Metadata.Tables) Assert.Equal(Text(one[t]), Text(two[t]));
        Assert.NotEqual(Text(one["Invoice"]), Text(Model.Value.Sample(seed: 6)["Invoice"]));
    }

    [Fact]
    public void One_model_file_holds_every_table_and_samples_the_same_database()
    {
        var path = Path.Combine(Support.TestData.NewTempDir(), "chinook.tabtwin");
        Model.Value.Save(path);
        var loaded = MultiTableModel.Load(path);
        var again = loaded.Sample(seed: 11);
        foreach (var t in Synthetic.Value.Metadata.Tables) Assert.Equal(Text(Synthetic.Value[t]), Text(again[t]));
        // A single-table model file is not a database model (and the reverse): one clear error, no guessing.
        var e = Assert.Throws<ModelFileException>(() => TabTwin.Models.ModelFile.Load(path));
        output.WriteLine(e.Message);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        Assert.ThrowsAny<TabTwinException>(() => MultiTableModel.Load(path));
    }

    internal static string Text(Table table) =>
        string.Join("\n", Enumerable.Range(0, table.RowCount).Select(i => string.Join(",", table.FormatRow(i))));
}
