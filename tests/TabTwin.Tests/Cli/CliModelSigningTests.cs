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

    private static string NewKey(string dir, string name)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n");
        return path;
    }

    [Fact]
    public void Run_signs_its_saved_model_like_fit_and_refuses_a_key_it_cannot_use_before_any_work()
    {
        var dir = TestData.NewTempDir();
        var team = NewKey(dir, "team.key");
        var model = Path.Combine(dir, "m.tabtwin");
        var run = CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "s.csv"), "-n", "20", "-s", "independent",
            "--save-model", model, "--sign-key-file", team, "-q");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var ok = CliRunner.Run("sample", model, "-n", "10", "-o", Path.Combine(dir, "a.csv"), "--verify-key-file", team, "-q");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        var wrong = CliRunner.Run("sample", model, "-n", "10", "-o", Path.Combine(dir, "b.csv"), "--verify-key-file", NewKey(dir, "other.key"), "-q");
        Assert.Equal(1, wrong.ExitCode);

        // A key with no model to sign is a usage error; a key file too short to be a key fails before the input is read.
        var unused = CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "c.csv"), "--sign-key-file", team, "-q");
        Assert.Equal(2, unused.ExitCode);
        Assert.Contains("--save-model", unused.Stderr);
        var shortKey = Path.Combine(dir, "short.key");
        File.WriteAllText(shortKey, "abc");
        var bad = CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "d.csv"), "--save-model", Path.Combine(dir, "d.tabtwin"), "--sign-key-file", shortKey);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("short.key", bad.ErrorLines[0]);
        Assert.DoesNotContain("Reading", bad.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "c.csv")) || File.Exists(Path.Combine(dir, "d.csv")) || File.Exists(Path.Combine(dir, "d.tabtwin")));
    }
}

/// <summary><c>$TABTWIN_MODEL_KEY_FILE</c> is process-wide state: these tests run alone.</summary>
[Collection(RunsAlone.Name)]
public class CliModelKeyEnvironmentTests
{
    [Fact]
    public void The_key_file_named_by_the_environment_signs_every_saved_model_and_verifies_every_load()
    {
        var dir = TestData.NewTempDir();
        var team = Path.Combine(dir, "team.key");
        File.WriteAllText(team, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        var before = Environment.GetEnvironmentVariable(TabTwin.Models.ModelSigningKey.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(TabTwin.Models.ModelSigningKey.EnvironmentVariable, team);
            var fitted = Path.Combine(dir, "fit.tabtwin");
            var ran = Path.Combine(dir, "run.tabtwin");
            Assert.Equal(0, CliRunner.Run("fit", TestData.DemoCsv, "-o", fitted, "-s", "independent", "-q").ExitCode);
            Assert.Equal(0, CliRunner.Run("run", TestData.DemoCsv, "-o", Path.Combine(dir, "r.csv"), "-n", "10", "-s", "independent", "--save-model", ran, "-q").ExitCode);
            var demo = CliRunner.Run("demo", "-o", Path.Combine(dir, "demo"), "-s", "independent", "-n", "50", "-q");
            Assert.True(demo.ExitCode == 0, demo.Stderr);
            foreach (var model in new[] { fitted, ran, Path.Combine(dir, "demo", "model.tabtwin") })
            {
                var ok = CliRunner.Run("sample", model, "-n", "5", "-o", Path.Combine(dir, Path.GetFileName(Path.GetDirectoryName(model)) + Path.GetFileName(model) + ".csv"), "-q");
                Assert.True(ok.ExitCode == 0, ok.Stderr);
            }
            // An unsigned model is refused while the variable names a key.
            Environment.SetEnvironmentVariable(TabTwin.Models.ModelSigningKey.EnvironmentVariable, null);
            var plain = Path.Combine(dir, "plain.tabtwin");
            Assert.Equal(0, CliRunner.Run("fit", TestData.DemoCsv, "-o", plain, "-s", "independent", "-q").ExitCode);
            Environment.SetEnvironmentVariable(TabTwin.Models.ModelSigningKey.EnvironmentVariable, team);
            var refused = CliRunner.Run("sample", plain, "-n", "5", "-o", Path.Combine(dir, "plain.csv"), "-q");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("not signed", refused.Stderr);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TabTwin.Models.ModelSigningKey.EnvironmentVariable, before);
        }
    }
}
