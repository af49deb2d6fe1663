using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TabTwin.Evaluation.Sequences;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Sequences;
using TabTwin.Synthesis;
using TabTwin.Synthesizers;
using TabTwin.Tables;

namespace TabTwin.Bench;

/// <summary>
/// Sequence synthesis (issue 17) against its targets on the shared sequential tables: fit and sample time, peak memory,
/// the sequence metrics against held-out entities, the same metrics for a flat row-by-row synthesis of the same long
/// table (the baseline measured in the same run), one million events, and same seed → same bytes on 1 and 2 threads.
/// </summary>
internal sealed class SequenceSection : BenchSection
{
    private static readonly (string Name, string File, string Entity, string Order)[] Datasets =
        [("cdnow", "cdnow_master.csv", "customer_id", "date"), ("sp500_stocks", "stocks_ohlcv.csv", "ticker", "date")];

    public override string Key => "sequences";

    public override Dictionary<string, string>? RunCase(string name, string[] args) => name switch
    {
        "seq-run" => Run(args[0], args[1], args[2], args[3] == "flat"),
        "seq-real" => RealHalves(args[0], args[1], args[2]),
        "seq-million" => Million(args[0]),
        "seq-determinism" => Determinism(args[0]),
        _ => null,
    };

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine("## Sequences: entities with their histories against the issue 17 targets");
        sb.AppendLine();
        sb.AppendLine("Each long table is split by `SequenceModel.SplitEntities` (80 % of the entities to train, seed 0; sp500's 10 tickers are too few to " +
                      "hold any out, so it trains and is compared on all of them), fitted by `SequenceSynthesizer.Fit` (seed 1) and sampled for as many entities as " +
                      "it trained on (seed 2), in a fresh process on all cores (2, shared). Metrics from `SequenceEvaluation.Evaluate` against the training " +
                      "histories (entity DCR share against the held-out ones). The flat row is the default single-table CART (with its privacy check) fitted on " +
                      "the same long table and sampled for as many rows: what row-by-row synthesis does to histories. SDV's PARSynthesizer cannot run here " +
                      "(no PyPI), so its figures are not measured.");
        sb.AppendLine();
        sb.AppendLine("| table | model | entities / rows | fit (s) | sample (s) | peak RSS (MB) | shapes ≥ 0.95 | length KS ≤ 0.10 | gap KS | lag-1 ACF error ≤ 0.15 | discriminator AUC ≤ 0.80 | predictive ratio | entity DCR ≤ 0.53 | reproduced histories / runs |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, file, entity, order) in Datasets)
            foreach (var flat in new[] { false, true })
            {
                var r = context.Child("seq-run", Path.Combine(context.Datasets, name, file), entity, order, flat ? "flat" : "sequence");
                sb.AppendLine($"| {name} | {(flat ? "flat CART (baseline)" : "sequence")} | {r["entities"]} / {r["rows"]} | {r["fit"]} | {r["sample"]} | {r["peakMb"]} | " +
                              $"{r["shapes"]} | {r["lengthKs"]} | {r["gapKs"]} | {r["acf1"]} | {r["auc"]} | {r["predictive"]} | {r["dcr"]} | {r["reproduced"]} |");
            }
        sb.AppendLine();
        sb.AppendLine("What real data scores against itself: the entities split in two halves (seed 0), one half evaluated as if it were the synthetic " +
                      "table for the other. With ten tickers, five real stocks against five others already differ in their price levels and are told " +
                      "apart window by window, so column shapes and the discriminator of sp500 are bounded by this, not by 1 and 0.5.");
        sb.AppendLine();
        sb.AppendLine("| table | entities per half | shapes | length KS | gap KS | lag-1 ACF error | discriminator AUC |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, file, entity, order) in Datasets)
        {
            var r = context.Child("seq-real", Path.Combine(context.Datasets, name, file), entity, order);
            sb.AppendLine($"| {name} | {r["entities"]} | {r["shapes"]} | {r["lengthKs"]} | {r["gapKs"]} | {r["acf1"]} | {r["auc"]} |");
        }
        sb.AppendLine();
        sb.AppendLine("Returns (sp500, sequence model): lag-1 autocorrelation of log returns real → synthetic, and of absolute log returns (volatility clustering, > 0 in real prices):");
        var stocks = context.Child("seq-run", Path.Combine(context.Datasets, "sp500_stocks", "stocks_ohlcv.csv"), "ticker", "date", "sequence");
        sb.AppendLine($"{stocks["returns"]}.");
        var million = context.Child("seq-million", Path.Combine(context.Datasets, "cdnow", "cdnow_master.csv"));
        sb.AppendLine();
        sb.AppendLine($"One million events: cdnow stacked {million["copies"]} times under new customer ids ({N(million["rows"])} rows, {N(million["entities"])} entities): " +
                      $"fit {million["fit"]} s + sample {million["sample"]} s = {million["total"]} s (target ≤ 90 s), peak RSS {million["peakMb"]} MB (target ≤ 2,048 MB).");
        var d = context.Child("seq-determinism", Path.Combine(context.Datasets, "cdnow", "cdnow_master.csv"));
        sb.AppendLine();
        sb.AppendLine($"Determinism: cdnow sampled with seed 5 on 1 and on 2 threads: SHA-256 of the CSV {d["one"]} and {d["two"]} ({(d["one"] == d["two"] ? "identical" : "DIFFERENT")}).");
    }

    private static string N(string v) => long.Parse(v, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture);

    private static (Table Table, TableSchema Schema) Read(string path, string entity, string order)
    {
        var table = TableReader.Read(path);
        return (table, SchemaDetector.Detect(table) with { Sequence = new SequenceSpec { Entity = entity, Order = order } });
    }

    private static Dictionary<string, string> Run(string path, string entity, string order, bool flat)
    {
        var (table, schema) = Read(path, entity, order);
        int all = SequenceLayout.Of(table, schema.Sequence!).EntityCount;
        var (train, holdout) = all >= 50 ? SequenceModel.SplitEntities(table, schema.Sequence!, 0.8, 0) : (table, (Table?)null);
        int entities = SequenceLayout.Of(train, schema.Sequence!).EntityCount;
        var clock = Stopwatch.StartNew();
        Table synthetic;
        double fit, sample;
        if (flat)
        {
            var (model, _) = SyntheticData.Fit(train, schema with { Sequence = null }, 1);
            fit = clock.Elapsed.TotalSeconds;
            synthetic = model.Sample(train.RowCount, 2);
        }
        else
        {
            var model = SequenceSynthesizer.Fit(train, schema, new SequenceOptions { Seed = 1 });
            fit = clock.Elapsed.TotalSeconds;
            synthetic = model.Sample(entities, seed: 2);
        }
        sample = clock.Elapsed.TotalSeconds - fit;
        double peak = MachineInfo.PeakRssMb();
        var r = SequenceEvaluation.Evaluate(train, synthetic, schema, new SequenceEvaluationOptions { Seed = 3, Holdout = holdout });
        return new()
        {
            ["entities"] = entities.ToString(CultureInfo.InvariantCulture), ["rows"] = train.RowCount.ToString(CultureInfo.InvariantCulture),
            ["fit"] = F(fit, "0.0"), ["sample"] = F(sample, "0.0"), ["peakMb"] = F(peak, "0"),
            ["shapes"] = F(r.ColumnShapes, "0.000"), ["lengthKs"] = F(r.LengthKs, "0.000"), ["gapKs"] = F(r.GapKs, "0.000"),
            ["acf1"] = F(r.Lag1AutocorrelationError, "0.000"), ["auc"] = r.Discrimination is { } a ? F(a.Auc, "0.000") : "–",
            ["predictive"] = F(r.PredictiveRatio, "0.000"), ["dcr"] = r.EntityDcrShare is { } p ? F(p.Value, "0.000") : "– (no holdout)",
            ["reproduced"] = $"{r.Reproduction.ReproducedSequences} / {r.Reproduction.ReproducedRuns}",
            ["returns"] = string.Join("; ", r.Returns.Select(x => $"{x.Column} {F(x.RealReturnLag1, "0.000")} → {F(x.SyntheticReturnLag1, "0.000")}, |·| {F(x.RealAbsoluteReturnLag1, "0.000")} → {F(x.SyntheticAbsoluteReturnLag1, "0.000")}")),
        };
    }

    /// <summary>One half of the real entities evaluated against the other: the scores real data itself reaches.</summary>
    private static Dictionary<string, string> RealHalves(string path, string entity, string order)
    {
        var (table, schema) = Read(path, entity, order);
        var (a, b) = SequenceModel.SplitEntities(table, schema.Sequence!, 0.5, 0);
        var r = SequenceEvaluation.Evaluate(a, b, schema, new SequenceEvaluationOptions { Seed = 3 });
        return new()
        {
            ["entities"] = SequenceLayout.Of(a, schema.Sequence!).EntityCount.ToString(CultureInfo.InvariantCulture),
            ["shapes"] = F(r.ColumnShapes, "0.000"), ["lengthKs"] = F(r.LengthKs, "0.000"), ["gapKs"] = F(r.GapKs, "0.000"),
            ["acf1"] = F(r.Lag1AutocorrelationError, "0.000"), ["auc"] = r.Discrimination is { } d ? F(d.Auc, "0.000") : "–",
        };
    }

    /// <summary>cdnow stacked until it holds a million events, each copy's customers renamed, fitted and sampled once.</summary>
    private static Dictionary<string, string> Million(string cdnow)
    {
        var (table, schema) = Read(cdnow, "customer_id", "date");
        int copies = (int)Math.Ceiling(1_000_000.0 / table.RowCount);
        var ids = table["customer_id"];
        var parts = new List<Table>();
        for (int c = 0; c < copies; c++)
        {
            var renamed = new string?[table.RowCount];
            for (int i = 0; i < renamed.Length; i++) renamed[i] = $"{c:D2}{ids.FormatValue(i)}";
            parts.Add(new Table(table.Columns.Select(col => col.Name == "customer_id" ? new TextColumn("customer_id", renamed) : col)));
        }
        var big = Table.Concat([.. parts]);
        var bigSchema = SchemaDetector.Detect(big) with { Sequence = schema.Sequence };
        var clock = Stopwatch.StartNew();
        var model = SequenceSynthesizer.Fit(big, bigSchema, new SequenceOptions { Seed = 1 });
        double fit = clock.Elapsed.TotalSeconds;
        int entities = SequenceLayout.Of(big, bigSchema.Sequence!).EntityCount;
        var synthetic = model.Sample(entities, seed: 2);
        double total = clock.Elapsed.TotalSeconds;
        return new()
        {
            ["copies"] = copies.ToString(CultureInfo.InvariantCulture), ["rows"] = big.RowCount.ToString(CultureInfo.InvariantCulture),
            ["entities"] = entities.ToString(CultureInfo.InvariantCulture), ["fit"] = F(fit, "0.0"), ["sample"] = F(total - fit, "0.0"),
            ["total"] = F(total, "0.0"), ["peakMb"] = F(MachineInfo.PeakRssMb(), "0"), ["synthetic"] = synthetic.RowCount.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static Dictionary<string, string> Determinism(string path)
    {
        var (table, schema) = Read(path, "customer_id", "date");
        var model = SequenceSynthesizer.Fit(table, schema, new SequenceOptions { Seed = 1 });
        string Hash(int threads)
        {
            using var stream = new MemoryStream();
            CsvTableWriter.Write(model.Sample(5_000, seed: 5, new SampleContext { MaxThreads = threads }), stream, ',');
            return Convert.ToHexString(SHA256.HashData(stream.ToArray()))[..16];
        }
        return new() { ["one"] = Hash(1), ["two"] = Hash(2) };
    }
}
