using TabTwin.Evaluation.MultiTable;
using TabTwin.Schema.Relational;
using TabTwin.Tests.MultiTable;
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
    public void Held_out_children_belong_to_held_out_parents_and_both_parts_keep_every_key()
    {
        var (train, holdout) = (Split.Value.Train, Split.Value.Holdout);
        Assert.Empty(RelationalSamples.BrokenReferences(train));
        Assert.Empty(RelationalSamples.BrokenReferences(holdout));
        foreach (var (table, fk) in Split.Value.Followed.Where(p => p.Value is not null))
        {
            var heldParents = RelationalSamples.KeyTexts(holdout[fk!.ParentTable], fk.ParentColumns).ToHashSet();
            var trainParents = RelationalSamples.KeyTexts(train[fk.ParentTable], fk.ParentColumns).ToHashSet();
            var heldChildren = RelationalSamples.KeyTexts(holdout[table], fk.ChildColumns).Where(k => k is not null).ToList();
            var trainChildren = RelationalSamples.KeyTexts(train[table], fk.ChildColumns).Where(k => k is not null).ToList();
            Assert.True(heldChildren.Count > 0, $"{table}: no held-out row keeps its parent");
            Assert.All(heldChildren, k => Assert.Contains(k, heldParents));
            Assert.All(trainChildren, k => Assert.Contains(k, trainParents));
        }
    }

    [Fact]
    public void Rows_are_split_at_the_fraction_and_none_is_lost_or_copied()
    {
        var real = RelationalSamples.Chinook();
        var (train, holdout) = (Split.Value.Train, Split.Value.Holdout);
        Assert.Equal(47, train["Customer"].RowCount);  // 59 customers: floor(59 × 0.8) train, as HoldoutSplit cuts one table
        Assert.Equal(12, holdout["Customer"].RowCount);
        foreach (var table in real.Metadata.Tables.Where(t => t != "PlaylistTrack"))
        {
            output.WriteLine($"{table}: {train[table].RowCount} train + {holdout[table].RowCount} holdout of {real[table].RowCount}");
            Assert.Equal(real[table].RowCount, train[table].RowCount + holdout[table].RowCount);
            var ids = real.Metadata.PrimaryKeys[table];
            Assert.Empty(RelationalSamples.KeyTexts(train[table], ids).Intersect(RelationalSamples.KeyTexts(holdout[table], ids)));
        }
        double share = holdout["InvoiceLine"].RowCount / (double)real["InvoiceLine"].RowCount;
        Assert.InRange(share, 0.1, 0.3);  // lines follow their customers (through invoices) in lumps, about a fifth of them
        // A playlist entry whose playlist went the other way is dropped (its key is part of the entry's primary key).
        Assert.Contains(Split.Value.CutLinks, c => c.ForeignKey.ToString() == "PlaylistTrack.PlaylistId -> Playlist.PlaylistId" && c.Treatment == OrphanPolicy.Drop);
        Assert.Contains(Split.Value.CutLinks, c => c.ForeignKey.ToString() == "Track.GenreId -> Genre.GenreId" && c.Treatment == OrphanPolicy.AsMissing);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var again = RelationalHoldout.Split(RelationalSamples.Chinook(), 0.8, seed: 3);
        var other = RelationalHoldout.Split(RelationalSamples.Chinook(), 0.8, seed: 4);
        foreach (var t in again.Train.Metadata.Tables)
            Assert.Equal(ChinookSynthesisTests.Text(Split.Value.Holdout[t]), ChinookSynthesisTests.Text(again.Holdout[t]));
        Assert.NotEqual(ChinookSynthesisTests.Text(Split.Value.Holdout["Invoice"]), ChinookSynthesisTests.Text(other.Holdout["Invoice"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RelationalHoldout.Split(RelationalSamples.Chinook(), 1, seed: 3));
    }
}
