using System.Text.Json;
using TabTwin.Evaluation;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Randomness;

namespace TabTwin.Tests.Evaluation;

/// <summary>The combined evaluation: which parts run, and the documented JSON layout.</summary>
public sealed class EvaluationReportTests
{
    internal static readonly TableSchema Schema = new()
    {
        Columns =
        [
            new ColumnSchema { Name = "x", Kind = ColumnKind.Numerical },
            new ColumnSchema { Name = "c", Kind = ColumnKind.Categorical },
            new ColumnSchema { Name = "label", Kind = ColumnKind.Categorical },
        ],
    };

    internal static Table Draw(int rows, ulong seed, double shift = 0)
    {
        var rng = new SeededRandom(seed);
        var x = new double[rows]; var c = new string?[rows]; var label = new string?[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = shift + rng.NextGaussian();
            c[i] = "pqr"[rng.NextInt(3)].ToString();
            label[i] = x[i] + (c[i] == "p" ? 1 : 0) > 0.3 ? "yes" : "no";
        }
        return new Table([new NumericColumn("x", x), CategoricalColumn.FromStrings("c", c), CategoricalColumn.FromStrings("label", label)]);
    }

    [Fact]
    public void Without_holdout_privacy_and_utility_are_skipped_with_a_reason()
    {
        var result = EvaluationReport.Compute(Draw(300, 1), Draw(300, 2), Schema, new EvaluationOptions { Seed = 5, DetectionRowsPerSide = 200 });
        Assert.Null(result.Privacy);
        Assert.Null(result.Utility);
        Assert.NotNull(result.Detection);
        using var doc = JsonDocument.Parse(result.ToJson());
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("privacy").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("utility").ValueKind);
        var parts = root.GetProperty("run").GetProperty("parts").EnumerateArray().ToDictionary(p => p.GetProperty("part").GetString()!);
        Assert.Equal(["quality", "coverage", "detection", "privacy", "utility"], parts.Keys);
        Assert.False(parts["privacy"].GetProperty("ran").GetBoolean());
        Assert.Contains("no holdout", parts["privacy"].GetProperty("skippedReason").GetString());
        Assert.True(parts["quality"].GetProperty("ran").GetBoolean());
        Assert.Equal(300, root.GetProperty("run").GetProperty("realRows").GetInt32());
        Assert.Equal(5UL, root.GetProperty("run").GetProperty("seed").GetUInt64());
        Assert.Equal(3, root.GetProperty("quality").GetProperty("columns").GetArrayLength());
        Assert.Equal(3, root.GetProperty("quality").GetProperty("pairs").GetArrayLength());
        double overall = root.GetProperty("quality").GetProperty("overall").GetDouble();
        Assert.InRange(overall, 0.8, 1.0);   // two draws of the same distribution
        // The definitions are named, and the all-pairs figure and the verdict travel with the thresholded one.
        var quality = root.GetProperty("quality");
        Assert.Equal("SDMetrics 0.29 QualityReport", quality.GetProperty("definition").GetString());
        Assert.Equal(result.Quality.AllPairTrends, quality.GetProperty("allPairTrends").GetDouble(), 12);
        Assert.Equal(result.Quality.PairsMeetingThreshold, quality.GetProperty("pairsMeetingThreshold").GetInt32());
        Assert.Equal(0.5, quality.GetProperty("realCorrelationThreshold").GetDouble());
        Assert.Equal(0.3, quality.GetProperty("realAssociationThreshold").GetDouble());
        Assert.Equal(EvaluationVerdicts.Quality(result.Quality), quality.GetProperty("verdict").GetString());
        Assert.All(quality.GetProperty("pairs").EnumerateArray(), p => Assert.True(p.TryGetProperty("meetsThreshold", out _)));
    }

    [Fact]
    public void With_holdout_and_target_every_part_runs_and_nan_is_written_as_null()
    {
        var real = Draw(400, 1);
        var synthetic = Draw(400, 2);
        // A constant column makes its correlation undefined (NaN): the JSON must say null, not "NaN".
        var schema = Schema with { Columns = [.. Schema.Columns, new ColumnSchema { Name = "k", Kind = ColumnKind.Numerical }] };
        Table WithConstant(Table t) => new([.. Enumerable.Range(0, t.ColumnCount).Select(i => t.Columns[i]), new NumericColumn("k", new double[t.RowCount])]);
        var result = EvaluationReport.Compute(WithConstant(real), WithConstant(synthetic), schema,
            new EvaluationOptions { Seed = 5, Holdout = WithConstant(Draw(200, 3)), Target = "label", DetectionRowsPerSide = 200 });
        Assert.NotNull(result.Privacy);
        Assert.NotNull(result.Utility);
        var json = result.ToJson();
        Assert.DoesNotContain("NaN", json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("BinaryClassification", root.GetProperty("utility").GetProperty("task").GetString());
        Assert.InRange(root.GetProperty("privacy").GetProperty("dcrShare").GetDouble(), 0, 1);
        Assert.Equal(200, root.GetProperty("run").GetProperty("holdoutRows").GetInt32());
        var pairWithConstant = root.GetProperty("quality").GetProperty("pairs").EnumerateArray()
            .First(p => p.GetProperty("columnA").GetString() == "x" && p.GetProperty("columnB").GetString() == "k");
        Assert.Equal(JsonValueKind.Null, pairWithConstant.GetProperty("score").ValueKind);
    }

    [Fact]
    public void Scores_do_not_depend_on_the_thread_count()
    {
        string Scores(int threads)
        {
            var node = EvaluationReport.Compute(Draw(300, 1), Draw(300, 2), Schema, new EvaluationOptions
                { Seed = 9, Holdout = Draw(150, 3), Target = "label", DetectionRowsPerSide = 200, MaxThreads = threads }).ToJsonNode();
            node.Remove("run");   // timings differ run to run by nature
            return node.ToJsonString();
        }
        Assert.Equal(Scores(1), Scores(2));
    }

    [Fact]
    public void Unknown_target_is_a_schema_error_naming_the_column()
    {
        var e = Assert.Throws<SchemaException>(() => EvaluationReport.Compute(Draw(50, 1), Draw(50, 2), Schema,
            new EvaluationOptions { Target = "nope", Holdout = Draw(20, 3) }));
        Assert.Equal("evaluate.unknown-target", e.Code);
        Assert.Contains("'nope'", e.Message);
    }
}
