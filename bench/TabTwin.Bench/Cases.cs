using System.Diagnostics;
using System.Globalization;
using Sylvan.Data.Csv;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Quality;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Registry;

namespace TabTwin.Bench;

/// <summary>One measurement each; run in a child process by <see cref="Orchestrator"/>.</summary>
internal static class Cases
{
    public static Dictionary<string, string> Run(string name, string[] args) => name switch
    {
        "csv-baseline" => Measure(() => CsvBaseline(args[0])),
        "csv-load" => Measure(() => TableReader.Read(args[0]).RowCount),
        "synth-adult" => SynthAdult(args[0], args[1]),
        "synth-dataset" => DatasetCases.Run(args[0], args[1], args[2]),
        "synth-wide" => SynthWide(args[0], args[1]),
        _ => throw new ArgumentException($"Unknown case '{name}'."),
    };

    private static Dictionary<string, string> Measure(Func<long> work)
    {
        long allocBefore = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        long check = work();
        sw.Stop();
        return new()
        {
            ["seconds"] = F(sw.Elapsed.TotalSeconds),
            ["peakMb"] = F(MachineInfo.PeakRssMb(), "0"),
            ["allocMb"] = F((GC.GetTotalAllocatedBytes(true) - allocBefore) / 1048576.0, "0"),
            ["check"] = check.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Touches every field of every row as characters, keeps nothing: the floor for a CSV reader.</summary>
    private static long CsvBaseline(string path)
    {
        using var reader = CsvDataReader.Create(path);
        long chars = 0;
        while (reader.Read())
            for (int i = 0; i < reader.FieldCount; i++) chars += reader.GetFieldSpan(i).Length;
        return chars;
    }

    private static Dictionary<string, string> SynthAdult(string path, string synthesizer)
    {
        var table = TableReader.Read(path);
        var (train, _) = HoldoutSplit.Split(table, 0.8, seed: 0);
        var schema = SchemaDetector.Detect(train);
        var entry = SynthesizerRegistry.Get(synthesizer);
        // Warm-up on a small slice so JIT time is not counted as fitting time.
        entry.Create(null).Fit(train.Head(500), schema, new FitContext(1)).Sample(100, 1);

        var sw = Stopwatch.StartNew();
        var model = entry.Create(null).Fit(train, schema, new FitContext(0));
        double fit = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var synthetic = model.Sample(train.RowCount, 0);
        double sample = sw.Elapsed.TotalSeconds;
        var quality = QualityReport.Compute(train, synthetic, schema);
        var result = new Dictionary<string, string>
        {
            ["fit"] = F(fit), ["sample"] = F(sample), ["seconds"] = F(fit + sample),
            ["peakMb"] = F(MachineInfo.PeakRssMb(), "0"),
            ["shapes"] = F(quality.ColumnShapes, "0.000"), ["trends"] = $"{F(quality.ColumnPairTrends, "0.000")} (all {F(quality.AllPairTrends, "0.000")})", ["overall"] = F(quality.Overall, "0.000"),
        };
        var marginals = Describe(model);
        if (marginals is not null) result["marginals"] = marginals;
        return result;
    }

    /// <summary>Fit on the 1 M-row wide table and sample 1 M rows: time and peak memory at scale.</summary>
    private static Dictionary<string, string> SynthWide(string path, string synthesizer)
    {
        var table = TableReader.Read(path);
        var schema = SchemaDetector.Detect(table);
        var sw = Stopwatch.StartNew();
        var model = SynthesizerRegistry.Get(synthesizer).Create(null).Fit(table, schema, new FitContext(0));
        double fit = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var synthetic = model.Sample(table.RowCount, 0);
        double sample = sw.Elapsed.TotalSeconds;
        return new()
        {
            ["fit"] = F(fit), ["sample"] = F(sample), ["seconds"] = F(fit + sample), ["peakMb"] = F(MachineInfo.PeakRssMb(), "0"),
            ["rows"] = synthetic.RowCount.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string? Describe(ISynthesizerModel model) =>
        model is Synthesizers.GaussianCopula.GaussianCopulaModel g
            ? string.Join(", ", g.Marginals.Where(m => m.Family is not null).Select(m => $"{m.Column} → {m.Family} (KS {m.KsStatistic:0.000})"))
            : null;

    private static string F(double v, string format = "0.000") => v.ToString(format, CultureInfo.InvariantCulture);
}
