using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TabTwin.Bench;

/// <summary>
/// Benchmarks for TabTwin, written to bench/RESULTS.md. Each measurement runs in its own child process so
/// peak memory (VmHWM) belongs to that measurement alone; baselines are measured in the same run and
/// results are reported as ratios against them.
///   dotnet run -c Release --project bench/TabTwin.Bench            (all, writes bench/RESULTS.md)
///   dotnet run -c Release --project bench/TabTwin.Bench -- one &lt;case&gt; [args]   (one case, prints JSON)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length >= 2 && args[0] == "one")
        {
            var result = Cases.Run(args[1], args[2..]);
            Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
            return 0;
        }
        return Orchestrator.RunAll(args);
    }
}

/// <summary>Runs every case in a child process and writes the Markdown report.</summary>
internal static class Orchestrator
{
    public static int RunAll(string[] args)
    {
        var repo = FindRepoRoot();
        var work = Path.Combine(Path.GetTempPath(), "tabtwin-bench");
        Directory.CreateDirectory(work);
        var wide = Path.Combine(work, "wide_1m_x20.csv");
        if (!File.Exists(wide)) DataGen.WriteWideCsv(wide, 1_000_000, seed: 42);
        var adult = Path.Combine(repo, "..", "shared", "datasets", "adult", "adult.csv");

        var sb = new StringBuilder();
        sb.AppendLine("# TabTwin benchmark results");
        sb.AppendLine();
        sb.AppendLine($"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine($"- Machine: {Environment.ProcessorCount} cores, {MachineInfo.CpuModel()}, {MachineInfo.TotalMemoryGb():0} GB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        sb.AppendLine($"- Load average at start (1/5/15 min): {MachineInfo.LoadAverage()} — other work on this 2-core machine slows every row alike, so compare ratios within a run.");
        sb.AppendLine($"- Runtime: .NET {Environment.Version}, Release build, workstation GC; each case in its own process (peak RSS = VmHWM).");
        sb.AppendLine();

        sb.AppendLine("## Loading a CSV: 1,000,000 rows × 20 columns");
        sb.AppendLine();
        sb.AppendLine($"File: generated, {new FileInfo(wide).Length / 1e6:0} MB (8 integer, 5 decimal, 4 categorical, 2 date/time, 1 boolean column; 2% missing).");
        sb.AppendLine("Baseline: reading every field as a string with Sylvan.Data.Csv and keeping nothing (the floor for any CSV reader).");
        sb.AppendLine();
        sb.AppendLine("| case | wall time (s) | peak RSS (MB) | managed allocations (MB) | vs baseline time |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        var baseline = Child("csv-baseline", wide);
        var load = Child("csv-load", wide);
        Row(sb, "baseline: Sylvan raw field scan", baseline, baseline);
        Row(sb, "TabTwin TableReader.Read → typed Table", load, baseline);
        sb.AppendLine();

        sb.AppendLine("## Synthesizers on UCI Adult (80/20 split, seed 0; fit on 26,048 rows, sample 26,048)");
        sb.AppendLine();
        sb.AppendLine("Baseline: the `independent` synthesizer (each column sampled alone from its marginal) in the same run. Quality: SDMetrics-compatible QualityReport against the training rows.");
        sb.AppendLine();
        sb.AppendLine("| synthesizer | fit (s) | sample (s) | fit+sample (s) | peak RSS (MB) | column shapes | column-pair trends | overall | vs baseline fit+sample |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var indep = Child("synth-adult", adult, "independent");
        var copula = Child("synth-adult", adult, "gaussian-copula");
        var cart = Child("synth-adult", adult, "cart");
        SynthRow(sb, "independent (baseline)", indep, indep);
        SynthRow(sb, "gaussian-copula", copula, indep);
        SynthRow(sb, "cart (default)", cart, indep);
        sb.AppendLine();
        sb.AppendLine("Reference on the same split: SDV GaussianCopula column shapes 0.91, column-pair trends 0.76.");
        if (copula.TryGetValue("marginals", out var m)) { sb.AppendLine(); sb.AppendLine("Copula marginals chosen on Adult: " + m); }

        sb.AppendLine();
        sb.AppendLine("## Synthesizers at scale: fit on the 1,000,000 × 20 table above, sample 1,000,000 rows");
        sb.AppendLine();
        sb.AppendLine("| synthesizer | fit (s) | sample (s) | fit+sample (s) | peak RSS (MB) (includes the loaded table) |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var name in new[] { "gaussian-copula", "cart" })
        {
            var r = Child("synth-wide", wide, name);
            sb.AppendLine($"| {name} | {r["fit"]} | {r["sample"]} | {r["seconds"]} | {r["peakMb"]} |");
        }

        var datasets = Path.GetFullPath(Path.Combine(repo, "..", "shared", "datasets"));
        sb.AppendLine();
        sb.AppendLine("## Synthesizers on shared datasets (80/20 split, seed 0; sample as many rows as train)");
        sb.AppendLine();
        sb.AppendLine("Quality: SDMetrics-compatible vs train. TSTR: LightGBM trained on synthetic vs on real train, both tested on the real holdout " +
                      "(AUC for binary targets, R² for regression; ratio = synthetic / real). Privacy: DCR share (synthetic rows nearer to train than to " +
                      "an equally large holdout, 0.5 ideal, 95% Wilson interval on 2,000 rows), exact copies of train rows (synthetic vs the holdout's own rate), " +
                      "distance membership-inference AUC (0.5 ideal). Coverage: range / category coverage of train (1 ideal). Detection: LightGBM real-vs-synthetic " +
                      "5-fold AUC (0.5 ideal). Time: fit + sample; baseline `independent` in the same run.");
        sb.AppendLine();
        sb.AppendLine("| dataset (rows × cols) | synthesizer | fit+sample (s) | peak RSS (MB) | shapes | trends | overall | real score | synthetic score | TSTR ratio | DCR share [95% CI] | exact copies (holdout) | MIA AUC | coverage range / cat. | detection AUC |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (var ds in DatasetCases.Datasets)
            foreach (var name in new[] { "independent", "gaussian-copula", "cart" })
            {
                var r = Child("synth-dataset", datasets, ds.Name, name);
                sb.AppendLine($"| {ds.Name} ({r["rows"]} × {r["cols"]}) | {name} | {r["seconds"]} | {r["peakMb"]} | {r["shapes"]} | {r["trends"]} | {r["overall"]} | " +
                              $"{r["realScore"]} | {r["synthScore"]} | {r["tstr"]} | {r["dcr"]} [{r["dcrLow"]}, {r["dcrHigh"]}] | {r["copies"]} ({r["holdoutCopies"]}) | {r["mia"]} | {r["rangeCov"]} / {r["catCov"]} | {r["detAuc"]} |");
            }

        sb.AppendLine();
        sb.AppendLine("CART's lower range/category coverage is its privacy protection at work: extremes are clipped to the 0.1–99.9 % range and categories seen fewer than 5 times are never emitted.");

        var path = Path.Combine(repo, "bench", "RESULTS.md");
        File.WriteAllText(path, sb.ToString());
        Console.WriteLine(sb.ToString());
        Console.WriteLine($"Written to {path}");
        return 0;
    }

    private static void Row(StringBuilder sb, string name, Dictionary<string, string> r, Dictionary<string, string> b) =>
        sb.AppendLine($"| {name} | {r["seconds"]} | {r["peakMb"]} | {r["allocMb"]} | {Ratio(r["seconds"], b["seconds"])} |");

    private static void SynthRow(StringBuilder sb, string name, Dictionary<string, string> r, Dictionary<string, string> b) =>
        sb.AppendLine($"| {name} | {r["fit"]} | {r["sample"]} | {r["seconds"]} | {r["peakMb"]} | {r["shapes"]} | {r["trends"]} | {r["overall"]} | {Ratio(r["seconds"], b["seconds"])} |");

    private static string Ratio(string a, string b) =>
        double.Parse(b, CultureInfo.InvariantCulture) > 0 ? $"{double.Parse(a, CultureInfo.InvariantCulture) / double.Parse(b, CultureInfo.InvariantCulture):0.00}×" : "–";

    /// <summary>Runs one case in a fresh process of this same program and parses its RESULT line.</summary>
    private static Dictionary<string, string> Child(string name, params string[] args)
    {
        var exe = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
        var self = typeof(Program).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") psi.ArgumentList.Add(self);
        psi.ArgumentList.Add("one");
        psi.ArgumentList.Add(name);
        foreach (var a in args) psi.ArgumentList.Add(a);
        Console.Error.WriteLine($"bench: {name} {string.Join(' ', args.Select(Path.GetFileName))}");
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"Case {name} failed (exit {p.ExitCode}):\n{output}");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(line[7..])!;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TabTwin.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}

internal static class MachineInfo
{
    public static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException) { return "unknown CPU"; }
    }

    public static string LoadAverage()
    {
        try { return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    public static double TotalMemoryGb() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0;

    /// <summary>Peak resident set size of this process (Linux VmHWM), in MB.</summary>
    public static double PeakRssMb()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is null) return double.NaN;
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { return double.NaN; }
    }
}
