using System.Security.Cryptography;
using TabTwin.IO;
using TabTwin.MultiTable;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.MultiTable;

/// <summary>
/// The whole job (what <c>tabtwin run chinook/ -o synth.sqlite --seed 7</c> runs: read → fit → sample → write) gives the
/// same SQLite file, byte for byte, on one thread and on two: every random draw of the fit (privacy-check splits, trees)
/// and of the sample comes from seeded streams, never from which thread got there first.
/// </summary>
public sealed class DatabaseDeterminismTests(ITestOutputHelper output)
{
    [Fact]
    public void Chinook_run_to_sqlite_is_byte_identical_on_one_and_two_threads()
    {
        var dir = TestData.NewTempDir();
        string Run(int threads)
        {
            var path = Path.Combine(dir, $"synth-{threads}.sqlite");
            DatabaseSynthesis.Run(TestData.ChinookFolder(), path, new DatabaseSynthesisOptions { Fit = new MultiTableOptions { Seed = 7, MaxThreads = threads } });
            return path;
        }
        var one = Run(1);
        var two = Run(2);
        var hashOne = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(one)));
        output.WriteLine($"SHA-256 {hashOne}, {new FileInfo(one).Length:N0} bytes");
        Assert.Equal(hashOne, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(two))));
        var back = RelationalSource.Read(one, new RelationalReadOptions { ProposeKeys = false });
        Assert.Equal(TestData.ChinookTables.Order(StringComparer.Ordinal), back.Metadata.Tables.Order(StringComparer.Ordinal));
        Assert.All(back.Tables.Values, t => Assert.True(t.RowCount > 0));
    }
}
