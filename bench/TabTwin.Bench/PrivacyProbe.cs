using System.Globalization;
using System.Text.Json;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Privacy;
using TabTwin.Evaluation.Quality;
using TabTwin.Evaluation.Coverage;
using TabTwin.IO;
using TabTwin.Registry;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Cart;
using TabTwin.Tables;

namespace TabTwin.Bench;

/// <summary>Diagnosis: which columns make synthetic rows nearer to train than to holdout (DCR share without each column).</summary>
internal static class PrivacyProbe
{
    /// <summary>Mean DCR share (every synthetic row a query) and quality over several seeded splits.</summary>
    public static Dictionary<string, string> Seeds(string datasets, string file, double level, string optionsJson, int seeds)
    {
        var full = TableReader.Read(Path.Combine(datasets, file));
        if (full.RowCount > 10_000) full = HoldoutSplit.Split(full, 10_000 / (double)full.RowCount, seed: 7).Train;
        var result = new Dictionary<string, string>();
        double dcr = 0, quality = 0, cov = 0;
        for (int s = 0; s < seeds; s++)
        {
            var (train, holdout) = HoldoutSplit.Split(full, 0.8, seed: (ulong)s);
            var schema = SchemaDetector.Detect(train);
            CartSynthesizer synth = optionsJson == "default" ? new CartSynthesizer()
                : (CartSynthesizer)SynthesizerRegistry.Get("cart").Create(JsonDocument.Parse(optionsJson).RootElement);
            if (level > 1) synth = (CartSynthesizer)synth.WithProtectionLevel(level);
            var model = synth.Fit(train, schema, new FitContext((ulong)s) { MaxThreads = 2 });
            var synthetic = model.Sample(train.RowCount, (ulong)s, new SampleContext { MaxThreads = 2 });
            double d = PrivacyReport.Compute(train, holdout, synthetic, schema, new PrivacyOptions { MaxThreads = 2, MaxQueryRows = 100_000, Seed = (ulong)s }).DcrShare.Value;
            var qr = QualityReport.Compute(train, synthetic, schema);
            double q = qr.Overall;
            if (s == 0)
            {
                result["shapes"] = F(qr.ColumnShapes); result["trends"] = F(qr.ColumnPairTrends);
                foreach (var c in qr.PairDetails.Where(p => p.MeetsThreshold == true))
                    result["pair:" + c.ColumnA + "x" + c.ColumnB] = $"{F(c.Score)} r={c.RealCorrelation:0.000} s={c.SyntheticCorrelation:0.000} a={c.RealAssociation:0.000}";
            }
            result["dcr" + s] = F(d);
            dcr += d; quality += q; cov += CoverageReport.Compute(train, synthetic, schema).RangeCoverage;
        }
        result["dcr"] = F(dcr / seeds); result["quality"] = F(quality / seeds); result["rangeCov"] = F(cov / seeds);
        return result;
    }

    /// <summary>The fit's privacy check with <paramref name="queryRows"/>, on several seeded splits: level chosen, check time, DCR on 2,000 queries (as the bench) and on all rows.</summary>
    public static Dictionary<string, string> Checked(string datasets, string file, int queryRows, int seeds)
    {
        var full = TableReader.Read(Path.Combine(datasets, file));
        if (full.RowCount > 10_000) full = HoldoutSplit.Split(full, 10_000 / (double)full.RowCount, seed: 7).Train;
        var result = new Dictionary<string, string>();
        double dcr = 0, dcrAll = 0, quality = 0, seconds = 0; int pass = 0;
        for (int s = 0; s < seeds; s++)
        {
            var (train, holdout) = HoldoutSplit.Split(full, 0.8, seed: (ulong)s);
            var schema = SchemaDetector.Detect(train);
            var synth = new CartSynthesizer();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var check = TabTwin.Synthesis.PrivacyCheck.Run(synth, train, schema, new FitContext((ulong)s) { MaxThreads = 2 }, TabTwin.Sampling.Constraints.ConstraintSet.Empty,
                new TabTwin.Synthesis.PrivacyCheckOptions { QueryRows = queryRows });
            seconds += sw.Elapsed.TotalSeconds;
            var chosen = check is null ? synth : (CartSynthesizer)synth.WithProtectionLevel(check.ChosenLevel);
            var model = chosen.Fit(train, schema, new FitContext((ulong)s) { MaxThreads = 2 });
            var synthetic = model.Sample(train.RowCount, (ulong)s, new SampleContext { MaxThreads = 2 });
            var d = PrivacyReport.Compute(train, holdout, synthetic, schema, new PrivacyOptions { MaxThreads = 2, Seed = (ulong)s }).DcrShare;
            double a = PrivacyReport.Compute(train, holdout, synthetic, schema, new PrivacyOptions { MaxThreads = 2, MaxQueryRows = 100_000, Seed = (ulong)s }).DcrShare.Value;
            if (d.Value <= 0.53 && d.Lower <= 0.5) pass++;
            result["s" + s] = $"{check?.ChosenLevel ?? 1:0.###}:{F(d.Value)}";
            dcr += d.Value; dcrAll += a; quality += QualityReport.Compute(train, synthetic, schema).Overall;
        }
        result["pass"] = $"{pass}/{seeds}"; result["dcr2000"] = F(dcr / seeds); result["dcrAll"] = F(dcrAll / seeds);
        result["quality"] = F(quality / seeds); result["checkSeconds"] = F(seconds / seeds);
        return result;
    }

    public static Dictionary<string, string> Run(string datasets, string file, double level, string optionsJson)
    {
        var table = TableReader.Read(Path.Combine(datasets, file));
        if (table.RowCount > 10_000) table = HoldoutSplit.Split(table, 10_000 / (double)table.RowCount, seed: 7).Train;
        var (train, holdout) = HoldoutSplit.Split(table, 0.8, seed: 0);
        var schema = SchemaDetector.Detect(train);
        CartSynthesizer synth = optionsJson == "default" ? new CartSynthesizer()
            : (CartSynthesizer)SynthesizerRegistry.Get("cart").Create(JsonDocument.Parse(optionsJson).RootElement);
        if (level > 1) synth = (CartSynthesizer)synth.WithProtectionLevel(level);
        var model = synth.Fit(train, schema, new FitContext(0) { MaxThreads = 1 });
        var synthetic = model.Sample(train.RowCount, 0, new SampleContext { MaxThreads = 1 });
        var result = new Dictionary<string, string>();
        double all = Dcr(train, holdout, synthetic, schema);
        result["ALL"] = F(all);
        result["quality"] = F(QualityReport.Compute(train, synthetic, schema).Overall);
        result["rangeCov"] = F(CoverageReport.Compute(train, synthetic, schema).RangeCoverage);
        foreach (var c in schema.Columns.Where(c => MixedDistance.IsCompared(c.Kind)))
        {
            var without = schema with { Columns = schema.Columns.Where(x => x.Name != c.Name).ToList() };
            if (!without.Columns.Any(x => MixedDistance.IsCompared(x.Kind))) continue;
            result["-" + c.Name + ":" + c.Kind] = F(Dcr(train, holdout, synthetic, without));
        }
        return result;
    }

    private static double Dcr(Table train, Table holdout, Table synthetic, TableSchema schema) =>
        PrivacyReport.Compute(train, holdout, synthetic, schema, new PrivacyOptions { MaxThreads = 1 }).DcrShare.Value;

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
