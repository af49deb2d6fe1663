using System.Diagnostics;
using System.Globalization;
using System.Text;
using TabTwin.Evaluation;
using TabTwin.Evaluation.Utility;
using TabTwin.IO;
using TabTwin.Augmentation;
using TabTwin.Schema;

namespace TabTwin.Bench;

/// <summary>
/// Rare-event augmentation on bank_marketing (y = yes 11.7%): the real training rows raised to a 0.3 minority share by
/// each method, and how a LightGBM trained on them finds the minority in the real holdout compared with one trained on
/// the real rows only.
/// </summary>
internal sealed class AugmentSection : BenchSection
{
    private const string Dataset = "bank_marketing/bank_full.csv", Target = "y";
    private const double To = 0.3;

    public override string Key => "augment";

    public override Dictionary<string, string>? RunCase(string name, string[] args) =>
        name == "augment" ? Run(args[0], args[1]) : null;

    public override void Write(StringBuilder sb, BenchContext context)
    {
        sb.AppendLine($"## Rare-event augmentation: bank_marketing, minority y = yes raised to {To} (80/20 split, seed 0)");
        sb.AppendLine();
        var path = Path.Combine(context.Datasets, Dataset);
        var runs = new[] { "synth", "smote", "noise" }.Select(m => (Method: m, Result: context.Child("augment", path, m))).ToArray();
        var b = runs[0].Result;
        sb.AppendLine($"`tabtwin augment --target y --to {To} --method <m>` on the {b["realRows"]} training rows ({b["realMinority"]} yes), then LightGBM (100 trees, 31 leaves, " +
                      $"all training rows) trained on the real rows alone and on the augmented table, both tested on the {b["testRows"]} real holdout rows " +
                      $"({b["testMinority"]} yes) at the default 0.5 threshold. Baseline: the real rows alone (computed in every case, identical each time). " +
                      "Time: making the new rows (for synth: fitting cart on the training rows and sampling conditionally).");
        sb.AppendLine();
        sb.AppendLine("| training table | rows (yes share) | minority recall | precision | F1 | AUC | augment time (s) | peak RSS (MB) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        sb.AppendLine($"| real rows only (baseline) | {b["realRows"]} ({b["realShare"]}) | {b["realRecall"]} | {b["realPrecision"]} | {b["realF1"]} | {b["realAuc"]} | – | – |");
        foreach (var (method, r) in runs)
        {
            string label = method == "synth" ? "real + synth (cart, conditional)" : $"real + {method}{(method == "noise" ? " (scale 0.05)" : " (k = 5)")}";
            sb.AppendLine($"| {label} | {r["rows"]} ({r["share"]}) | {r["recall"]} ({Delta(r["recall"], r["realRecall"])}) | {r["precision"]} ({Delta(r["precision"], r["realPrecision"])}) | " +
                          $"{r["f1"]} ({Delta(r["f1"], r["realF1"])}) | {r["auc"]} ({Delta(r["auc"], r["realAuc"])}) | {r["seconds"]} | {r["peakMb"]} |");
        }
        sb.AppendLine();
        sb.AppendLine("Raising the minority's share moves the classifier's default decision towards it: recall rises and precision falls, while AUC " +
                      "(which no threshold affects) stays about where it was — the ranking the model learns barely changes, the operating point does.");
    }

    private static string Delta(string value, string baseline)
    {
        double d = double.Parse(value, CultureInfo.InvariantCulture) - double.Parse(baseline, CultureInfo.InvariantCulture);
        return d.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string> Run(string path, string method)
    {
        var table = TableReader.Read(path);
        var (train, holdout) = HoldoutSplit.Split(table, 0.8, seed: 0);
        var schema = SchemaDetector.Detect(train);
        var m = Enum.Parse<AugmentMethod>(method, ignoreCase: true);
        // JIT warm-up on a slice so it does not count as augmentation time.
        Augmenter.Augment(train.Head(2000), schema, new AugmentOptions { Target = Target, To = To, Method = m, Seed = 1 });
        var sw = Stopwatch.StartNew();
        var result = Augmenter.Augment(train, schema, new AugmentOptions { Target = Target, To = To, Method = m, Seed = 0 });
        double seconds = sw.Elapsed.TotalSeconds;
        double peak = MachineInfo.PeakRssMb();
        var cmp = AugmentationEvaluation.Compare(train, result.Table, holdout, schema, Target, options: new UtilityOptions { MaxTrainRows = 1_000_000, MaxTestRows = 1_000_000 });
        return new()
        {
            ["seconds"] = F(seconds), ["peakMb"] = F(peak, "0"),
            ["rows"] = result.Table.RowCount.ToString("N0", CultureInfo.InvariantCulture), ["share"] = F(cmp.Augmented.TrainMinorityShare, "0.000"),
            ["realRows"] = train.RowCount.ToString("N0", CultureInfo.InvariantCulture), ["realShare"] = F(cmp.RealOnly.TrainMinorityShare, "0.000"),
            ["realMinority"] = cmp.RealOnly.TrainMinorityRows.ToString("N0", CultureInfo.InvariantCulture),
            ["testRows"] = cmp.RealOnly.TestRows.ToString("N0", CultureInfo.InvariantCulture), ["testMinority"] = cmp.RealOnly.TestMinorityRows.ToString("N0", CultureInfo.InvariantCulture),
            ["recall"] = F(cmp.Augmented.Recall, "0.000"), ["precision"] = F(cmp.Augmented.Precision, "0.000"), ["f1"] = F(cmp.Augmented.F1, "0.000"), ["auc"] = F(cmp.Augmented.Auc, "0.000"),
            ["realRecall"] = F(cmp.RealOnly.Recall, "0.000"), ["realPrecision"] = F(cmp.RealOnly.Precision, "0.000"), ["realF1"] = F(cmp.RealOnly.F1, "0.000"), ["realAuc"] = F(cmp.RealOnly.Auc, "0.000"),
        };
    }
}
