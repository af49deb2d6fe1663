using System.Security.Cryptography;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Cli;

public class CliModelSigningTests
{
    [Fact]
    public void Fit_signs_with_a_key_file_and_sample_verifies_it()
    {
        var dir = TestData.NewTempDir();
        string Key(string name)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n");
            return path;
        }
        var (team, other) = (Key("team.key"), Key("other.key"));
        var signed = Path.Combine(dir, "signed.tabtwin");
        var unsigned = Path.Combine(dir, "plain.tabtwin");
        var fit = CliRunner.Run("fit", TestData.DemoCsv, "-o", signed, "-s", "independent", "--sign-key-file", team, "-q");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        Assert.Equal(0, CliRunner.Run("fit", TestData.DemoCsv, "-o", unsigned, "-s", "independent", "-q").ExitCode);

        var ok = CliRunner.Run("sample", signed, "-n", "10", "-o", Path.Combine(dir, "a.csv"), "--verify-key-file", team, "-q");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        var wrong = CliRunner.Run("sample", signed, "-n", "10", "-o", Path.Combine(dir, "b.csv"), "--verify-key-file", other, "-q");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("not signed with the given key", wrong.ErrorLines[0]);
        var missing = CliRunner.Run("sample", unsigned, "-n", "10", "-o", Path.Combine(dir, "c.csv"), "--verify-key-file", team, "-q");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("not signed", missing.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "b.csv")) || File.Exists(Path.Combine(dir, "c.csv")));
    }
}
