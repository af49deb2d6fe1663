using System.Text.Json;
using TabTwin.Evaluation.Detection;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Tests.Cli;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

/// <summary>
/// Found by the attacker's re-probe of issue 15 (item 10, internal errors): <c>run --report -n 20</c> ended in an internal
/// error (exit 70) because LightGBM grows no tree from a few dozen rows and ML.NET then fails. Detection now needs
/// <see cref="DetectionOptions.MinRowsPerSide"/> rows per side: the report skips it saying why, the library refuses with a code.
/// </summary>
public class SmallEvaluationTests
{
    [Fact]
    public void A_report_on_few_synthetic_rows_skips_detection_saying_why()
    {
        var dir = TestData.NewTempDir();
        var json = Path.Combine(dir, "m.json");
        var run = CliRunner.Run("run", TestData.Dataset("penguins", "penguins.csv"), "-o", Path.Combine(dir, "s.csv"), "-n", "20",
            "--report", Path.Combine(dir, "r.html"), "--json", json, "-q");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("detection").ValueKind);
        var part = doc.RootElement.GetProperty("run").GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("part").GetString() == "detection");
        Assert.Contains($"at least {DetectionOptions.MinRowsPerSide} rows", part.GetProperty("skippedReason").GetString());
    }

    [Fact]
    public void The_detection_test_refuses_too_few_rows_with_a_code()
    {
        var penguins = TableReader.Read(TestData.Dataset("penguins", "penguins.csv"));
        var e = Assert.Throws<TabTwinException>(() => ClassifierDetection.Compute(penguins.Head(30), penguins.Head(30), SchemaDetector.Detect(penguins)));
        Assert.Equal("detection.too-few-rows", e.Code);
    }
}
