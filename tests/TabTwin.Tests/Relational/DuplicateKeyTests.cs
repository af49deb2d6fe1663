using TabTwin.IO;
using TabTwin.MultiTable;
using TabTwin.Schema;
using TabTwin.Schema.Relational;
using TabTwin.Tests.MultiTable;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Relational;

/// <summary>
/// A key that repeats in real data is learned anyway, never silently: nycflights13's weather has the hour 01:00 twice
/// on 3 Nov 2013 (clocks turned back) at each of its three airports. The rows below are the real ones of that morning
/// (weather.csv of ../shared/datasets/nycflights13, and the in-repo sample's flights of the same hours), verbatim.
/// </summary>
public sealed class DuplicateKeyTests
{
    private static readonly string[] Weather =
    [
        "origin,year,month,day,hour,temp,dewp,humid,wind_dir,wind_speed,wind_gust,precip,pressure,visib,time_hour",
        "EWR,2013,11,3,1,51.98,39.02,61.15,310,6.904679999999999,,0,1009.8,10,2013-11-03T05:00:00Z",
        "EWR,2013,11,3,1,50,39.02,65.8,290,5.7539,,0,1010.5,10,2013-11-03T06:00:00Z",
        "EWR,2013,11,3,2,51.08,39.92,65.48,330,8.05546,,0,1010.9,10,2013-11-03T07:00:00Z",
        "EWR,2013,11,3,3,51.08,41,68.28,320,8.05546,,0,1011.8,10,2013-11-03T08:00:00Z",
        "EWR,2013,11,3,4,50,42.08,74.1,340,11.5078,,0,1013,10,2013-11-03T09:00:00Z",
        "EWR,2013,11,3,5,48.92,39.92,70.95,350,12.658579999999999,,0,1014.2,10,2013-11-03T10:00:00Z",
        "EWR,2013,11,3,6,48.02,37.04,65.56,340,17.261699999999998,25.317159999999998,0,1016,10,2013-11-03T11:00:00Z",
        "EWR,2013,11,3,7,46.94,37.04,68.28,360,11.5078,,0,1017.8,10,2013-11-03T12:00:00Z",
        "JFK,2013,11,3,1,53.96,37.94,54.51,320,9.20624,,0,1009.8,10,2013-11-03T05:00:00Z",
        "JFK,2013,11,3,1,51.98,37.94,58.62,310,6.904679999999999,,0,1010.5,10,2013-11-03T06:00:00Z",
        "JFK,2013,11,3,2,51.08,37.94,60.6,330,6.904679999999999,,0,1010.9,10,2013-11-03T07:00:00Z",
        "JFK,2013,11,3,3,51.08,39.02,63.22,330,10.357019999999999,,0,1011.7,10,2013-11-03T08:00:00Z",
        "JFK,2013,11,3,4,50,39.92,68.15,340,12.658579999999999,,0,1012.6,10,2013-11-03T09:00:00Z",
        "JFK,2013,11,3,5,48.92,39.02,68.51,350,13.809359999999998,,0,1013.9,10,2013-11-03T10:00:00Z",
        "JFK,2013,11,3,6,46.94,35.06,63.13,350,21.864819999999998,,0,1015.7,10,2013-11-03T11:00:00Z",
        "JFK,2013,11,3,7,46.94,33.98,60.47,340,18.41248,,0,1017.4,10,2013-11-03T12:00:00Z",
        "LGA,2013,11,3,1,55.04,39.02,54.67,330,9.20624,,0,1009.3,10,2013-11-03T05:00:00Z",
        "LGA,2013,11,3,1,53.96,39.92,58.89,310,8.05546,,0,1010.2,10,2013-11-03T06:00:00Z",
        "LGA,2013,11,3,2,51.98,39.02,61.15,330,10.357019999999999,,0,1010.7,10,2013-11-03T07:00:00Z",
        "LGA,2013,11,3,3,51.08,39.92,65.48,330,11.5078,,0,1011.6,10,2013-11-03T08:00:00Z",
        "LGA,2013,11,3,4,50,41,71.07,350,16.11092,,0,1012.5,10,2013-11-03T09:00:00Z",
        "LGA,2013,11,3,5,46.94,37.04,68.28,350,13.809359999999998,,0,1013.9,10,2013-11-03T10:00:00Z",
        "LGA,2013,11,3,6,46.04,35.06,65.32,350,13.809359999999998,24.166379999999997,0,1015.8,10,2013-11-03T11:00:00Z",
        "LGA,2013,11,3,7,46.04,32,57.78,350,17.261699999999998,25.317159999999998,0,1017.6,10,2013-11-03T12:00:00Z",
    ];

    private static readonly string[] Flights =
    [
        "year,month,day,dep_time,dep_delay,arr_time,arr_delay,carrier,tailnum,flight,origin,dest,air_time,distance,hour,minute",
        "2013,11,3,726,-4,1212,-8,B6,N559JB,1289,EWR,SJU,201,1608,7,26",
        "2013,11,3,750,-5,918,-17,MQ,N857MQ,3363,JFK,RDU,73,427,7,50",
        "2013,11,3,625,0,753,-7,EV,N14562,4274,EWR,CLE,69,404,6,25",
        "2013,11,3,624,-1,719,-16,B6,N354JB,2180,EWR,BOS,35,200,6,24",
        "2013,11,3,755,1,1018,-1,UA,N39416,1072,EWR,DEN,231,1605,7,55",
        "2013,11,3,754,-1,859,-11,MQ,N848MQ,3370,JFK,DCA,51,213,7,54",
        "2013,11,3,633,-12,834,-33,B6,N183JB,675,JFK,MSY,165,1182,6,33",
        "2013,11,3,752,-2,902,-9,B6,N292JB,1307,JFK,IAD,50,228,7,52",
        "2013,11,3,726,-3,1004,-16,B6,N564JB,461,LGA,PBI,138,1035,7,26",
        "2013,11,3,628,-4,920,-20,B6,N583JB,929,JFK,RSW,155,1074,6,28",
        "2013,11,3,735,-5,930,-24,9E,N913XJ,2916,JFK,DTW,88,509,7,35",
    ];

    private static string Folder()
    {
        var folder = TestData.NewTempDir();
        File.WriteAllLines(Path.Combine(folder, "weather.csv"), Weather);
        File.WriteAllLines(Path.Combine(folder, "flights.csv"), Flights);
        File.WriteAllLines(Path.Combine(folder, "foreign_keys.txt"), ["flights.origin,year,month,day,hour -> weather.origin,year,month,day,hour"]);
        return folder;
    }

    [Fact]
    public void Repeated_hours_keep_their_first_row_with_one_warning_naming_table_key_count_and_example()
    {
        var warnings = new List<string>();
        var db = RelationalSource.Read(Folder(), new RelationalReadOptions { Warning = warnings.Add });

        var line = Assert.Single(warnings);
        Assert.Contains("table 'weather'", line);
        Assert.Contains("(origin, year, month, day, hour)", line);
        Assert.Contains("3 rows", line);
        Assert.Contains("e.g. (EWR, 2013, 11, 3, 1) is in rows 1 and 2", line);
        Assert.Equal(line, Assert.Single(db.Warnings));

        var weather = db["weather"];
        Assert.Equal(Weather.Length - 1 - 3, weather.RowCount);
        Assert.Empty(RelationalSamples.BrokenPrimaryKeys(db));
        // The first of each repeated hour stays: 05:00 UTC is 01:00 daylight time, the hour before the clocks turned back.
        var kept = Enumerable.Range(0, weather.RowCount).Where(r => weather["hour"].FormatValue(r) == "1").Select(r => weather["time_hour"].FormatValue(r)).ToList();
        Assert.Equal(3, kept.Count);
        Assert.All(kept, t => Assert.StartsWith("2013-11-03T05:00:00", t));
        Assert.Empty(db.Orphans);
        Assert.Equal(Flights.Length - 1, db["flights"].RowCount);
    }

    [Fact]
    public void The_database_with_repeated_hours_is_learned_and_sampled_with_every_key_intact()
    {
        var warnings = new List<string>();
        var db = RelationalSource.Read(Folder(), new RelationalReadOptions { Warning = warnings.Add });
        var synthetic = MultiTableSynthesizer.Fit(db, new MultiTableOptions { Seed = 5, Warning = warnings.Add }).Sample(seed: 5);
        Assert.True(synthetic["weather"].RowCount > 0 && synthetic["flights"].RowCount > 0);
        Assert.Empty(RelationalSamples.BrokenPrimaryKeys(synthetic));
        Assert.Empty(RelationalSamples.BrokenReferences(synthetic));
        Assert.Single(warnings, w => w.Contains("not unique", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_key_is_still_one_clear_error()
    {
        var folder = Folder();
        var rows = Weather.ToArray();
        rows[5] = "," + rows[5][(rows[5].IndexOf(',') + 1)..];
        File.WriteAllLines(Path.Combine(folder, "weather.csv"), rows);
        var e = Assert.Throws<SchemaException>(() => RelationalSource.Read(folder));
        Assert.Equal("relational.missing-key", e.Code);
        Assert.Contains("Table 'weather'", e.Message);
        Assert.Contains("row 5", e.Message);
    }
}
