using TabTwin.Evaluation.MultiTable;
using TabTwin.Schema.Relational;
using TabTwin.Tests.MultiTable;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.Evaluation;

/// <summary>The database train/holdout split on the in-repo chinook: children follow their parent, both parts are valid databases.</summary>
public sealed class RelationalHoldoutTests(ITestOutputHelper output)
{
    private static readonly Lazy<RelationalHoldoutSplit> Split = new(() => RelationalHoldout.Split(RelationalSamples.Chinook(), 0.8, seed: 3));

    [Fact]
    public void Each_table_follows_its_deepest_parent_or_is_split_itself()
    {
        var followed = Split.Value.Followed;
        foreach (var (table, fk) in followed) output.WriteLine($"{table}: {(fk is null ? "own rows" : "follows " + fk)}");
        Assert.Null(followed["Artist"]);
        Assert.Equal("Album.ArtistId -> Artist.ArtistId", followed["Album"]?.ToString());
        Assert.Equal("Track.AlbumId -> Album.AlbumId", followed["Track"]?.ToString());          // Album is 1 deep, Genre and MediaType 0
        Assert.Equal("Invoice.CustomerId -> Customer.CustomerId", followed["Invoice"]?.ToString());
        Assert.Equal("InvoiceLine.InvoiceId -> Invoice.InvoiceId", followed["InvoiceLine"]?.ToString());  // as deep as Track: declared first
        Assert.Equal("PlaylistTrack.TrackId -> Track.TrackId", followed["PlaylistTrack"]?.ToString());
        Assert.Null(followed["Customer"]);   // its only parent, Employee, is named by 3 support reps: too few to split by
        Assert.Null(followed["Employee"]);   // a self-reference is never followed
    }

    [Fact]
    public void Unseen_children_belong_to_unseen_parents_and_both_parts_keep_every_key()
    {
        var (train, holdout) = (Split.Value.Train, Split.Value.Holdout);
        Assert.Empty(RelationalSamples.BrokenReferences(train));
        Assert.Empty(RelationalSamples.BrokenReferences(holdout));
        foreach (var key in new[] { "InvoiceLine.InvoiceId -> Invoice.InvoiceId", "Invoice.CustomerId -> Customer.CustomerId", "Track.AlbumId -> Album.AlbumId" })
        {
            var fk = ForeignKey.Parse(key);
            var trainParents = RelationalSamples.KeyTexts(train[fk.ParentTable], fk.ParentColumns).ToHashSet();
            var unseenParents = RelationalSamples.KeyTexts(Split.Value.Unseen[fk.ParentTable], fk.ParentColumns).ToHashSet();
            var unseenChildren = RelationalSamples.KeyTexts(Split.Value.Unseen[fk.ChildTable], fk.ChildColumns).Where(k => k is not null).ToList();
            Assert.True(unseenChildren.Count > 0, $"{key}: no unseen child row");
            Assert.All(unseenChildren, k => { Assert.Contains(k, unseenParents); Assert.DoesNotContain(k, trainParents); });
        }
    }

    [Fact]
    public void Rows_are_split_at_the_fraction_reference_rows_are_shared_and_links_into_other_families_cut()
    {
        var real = RelationalSamples.Chinook();
        var split = Split.Value;
        Assert.Equal(47, split.Train["Customer"].RowCount);  // 59 customers: floor(59 × 0.8) train, as HoldoutSplit cuts one table
        Assert.Equal(12, split.Unseen["Customer"].RowCount);
        foreach (var table in real.Metadata.Tables)
        {
            var ids = real.Metadata.PrimaryKeys[table];
            var trainIds = RelationalSamples.KeyTexts(split.Train[table], ids);
            var unseenIds = RelationalSamples.KeyTexts(split.Unseen[table], ids);
            output.WriteLine($"{table}: {trainIds.Length} train, {split.Holdout[table].RowCount} holdout ({unseenIds.Length} unseen, {split.SharedRows(table)} shared) of {real[table].RowCount}");
            Assert.Empty(trainIds.Intersect(unseenIds));
            Assert.Equal(real[table].RowCount, trainIds.Union(RelationalSamples.KeyTexts(split.Holdout[table], ids)).Count());
            Assert.Equal(split.Holdout[table].RowCount, unseenIds.Length + split.SharedRows(table));
        }
        double share = split.Unseen["InvoiceLine"].RowCount / (double)real["InvoiceLine"].RowCount;
        Assert.InRange(share, 0.1, 0.3);  // lines follow their customers (through invoices) in lumps, about a fifth of them
        // Genres are split by row, then every genre a part's tracks use is in that part too: no key is cut, no value lost.
        Assert.True(split.SharedRows("Genre") > 0);
        Assert.Equal(real["Track"]["GenreId"].Missing.Count, split.Train["Track"]["GenreId"].Missing.Count + split.Holdout["Track"]["GenreId"].Missing.Count);
        // A track is split with its album (playlist entries follow it): an invoice line naming a track of the other part loses that link instead.
        Assert.Equal(0, split.SharedRows("Track"));
        Assert.InRange(split.Train["InvoiceLine"]["TrackId"].Missing.Count, 0.1 * split.Train["InvoiceLine"].RowCount, 0.3 * split.Train["InvoiceLine"].RowCount);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var again = RelationalHoldout.Split(RelationalSamples.Chinook(), 0.8, seed: 3);
        var other = RelationalHoldout.Split(RelationalSamples.Chinook(), 0.8, seed: 4);
        foreach (var t in again.Train.Metadata.Tables)
            Assert.Equal(ChinookSynthesisTests.Text(Split.Value.Unseen[t]), ChinookSynthesisTests.Text(again.Unseen[t]));
        Assert.NotEqual(ChinookSynthesisTests.Text(Split.Value.Unseen["Invoice"]), ChinookSynthesisTests.Text(other.Unseen["Invoice"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RelationalHoldout.Split(RelationalSamples.Chinook(), 1, seed: 3));
    }
}

/// <summary>The split on nycflights13 (../shared): reference tables shared, so weather keeps every row although its key holds a foreign key.</summary>
[Trait("Category", TestData.LargeData)]
public sealed class RelationalHoldoutLargeDataTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Nycflights13_flights_follow_their_weather_hour_and_no_key_is_cut()
    {
        var real = RelationalSamples.Nycflights13();
        var split = RelationalHoldout.Split(real, 0.8, seed: 0);
        foreach (var t in real.Metadata.Tables)
            output.WriteLine($"{t}: follows {split.Followed[t]?.ParentTable ?? "own rows"}; {split.Train[t].RowCount} train, {split.Unseen[t].RowCount} unseen, {split.SharedRows(t)} shared of {real[t].RowCount}");
        Assert.Equal("weather", split.Followed["flights"]?.ParentTable);  // the deepest parent: weather is 1 deep, airlines, planes, airports 0
        Assert.Null(split.Followed["weather"]);                           // its 3 airports are too few to split by
        Assert.DoesNotContain(split.Train.Orphans, o => o.ForeignKey.ChildTable == "weather");
        Assert.Equal(real["weather"].RowCount, split.Train["weather"].RowCount + split.Unseen["weather"].RowCount);
        Assert.Equal(0, split.SharedRows("weather"));
        Assert.InRange(split.SharedRows("airports"), 3, 200);               // origins and destinations both parts fly to
        Assert.Empty(RelationalSamples.BrokenReferences(split.Train));
        Assert.Empty(RelationalSamples.BrokenReferences(split.Holdout));
    }
}
