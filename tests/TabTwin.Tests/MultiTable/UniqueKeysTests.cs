using TabTwin.MultiTable;
using TabTwin.Tables;

namespace TabTwin.Tests.MultiTable;

/// <summary>A key made of modelled columns (lahman's Teams (yearID, teamID)) is kept unique by moving repeats to the nearest free key, not by dropping rows.</summary>
public sealed class UniqueKeysTests
{
    [Fact]
    public void Repeated_year_team_pairs_move_to_the_nearest_free_year_and_keep_every_row()
    {
        double[] years = [2000, 2000, 2000, 2001, 2001, 2003, 2003, 2003, 2003];
        int[] teams = [0, 0, 0, 1, 1, 0, 2, 2, 2];
        var parts = new Column[] { new NumericColumn("yearID", years, isInteger: true), new CategoricalColumn("teamID", teams, ["NYA", "BOS", "CHA"]) };

        var repaired = UniqueKeys.Repair(parts, [true, true]);

        var keys = Enumerable.Range(0, years.Length).Select(i => $"{repaired[0].FormatValue(i)}|{repaired[1].FormatValue(i)}").ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        // First occurrences keep their key; a repeat moves one step: (2000, NYA) again becomes (2001, NYA), the next (2001+1=2002, NYA)… within the years seen.
        Assert.Equal("2000|NYA", keys[0]);
        Assert.Equal("2001|NYA", keys[1]);
        Assert.Equal("2003|CHA", keys[6]);
        Assert.All(Enumerable.Range(0, years.Length), i => Assert.InRange(double.Parse(repaired[0].FormatValue(i)!), 2000, 2003));
    }

    [Fact]
    public void A_column_that_is_not_adjustable_is_never_changed_and_a_full_key_space_is_left_to_the_caller()
    {
        var parent = new CategoricalColumn("origin", [0, 0, 0], ["EWR"]);
        var hour = new NumericColumn("hour", [5, 5, 5], isInteger: true);   // one distinct hour: nowhere to move

        var repaired = UniqueKeys.Repair([parent, hour], [false, true]);

        Assert.Same(parent, repaired[0]);
        Assert.Equal(["5", "5", "5"], Enumerable.Range(0, 3).Select(i => repaired[1].FormatValue(i)));
    }

    [Fact]
    public void A_nearly_full_key_space_is_filled_by_moving_several_columns_at_once()
    {
        // Days 1–2 × hours 0–1 at one airport: (1, 0) repeats and the only free key, (2, 1), needs both columns to move.
        var origin = new TextColumn("origin", ["EWR", "EWR", "EWR", "EWR"]);
        var day = new NumericColumn("day", [1, 1, 1, 2], isInteger: true);
        var hour = new NumericColumn("hour", [0, 0, 1, 0], isInteger: true);

        var repaired = UniqueKeys.Repair([origin, day, hour], [false, true, true], seed: 3);

        Assert.Same(origin, repaired[0]);
        var keys = Enumerable.Range(0, 4).Select(i => $"{repaired[1].FormatValue(i)}|{repaired[2].FormatValue(i)}").ToList();
        Assert.Equal(["1|0", "2|1", "1|1", "2|0"], keys);
    }

    [Fact]
    public void A_team_written_as_text_moves_to_another_team_when_every_year_of_its_own_is_taken()
    {
        var year = new NumericColumn("yearID", [2000, 2001, 2000, 2001], isInteger: true);
        var team = new TextColumn("teamID", ["NYA", "NYA", "NYA", "BOS"]);

        var repaired = UniqueKeys.Repair([year, team], [true, true]);

        Assert.Equal(["2000|NYA", "2001|NYA", "2000|BOS", "2001|BOS"], Enumerable.Range(0, 4).Select(i => $"{repaired[0].FormatValue(i)}|{repaired[1].FormatValue(i)}"));
    }
}
