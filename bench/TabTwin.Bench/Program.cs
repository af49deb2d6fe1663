using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TabTwin.Bench;

/// <summary>
/// Benchmarks for TabTwin, written to bench/RESULTS.md. Each measurement runs in its own child process so
/// peak memory (VmHWM) belongs to that measurement alone; baselines are measured in the same run and
/// results are reported as ratios against them.
///   dotnet run -c Release --project bench/TabTwin.Bench                       (every section, rewrites RESULTS.md)
///   dotnet run -c Release --project bench/TabTwin.Bench -- section adult csv  (only these; the rest of RESULTS.md is kept)
///   dotnet run -c Release --project bench/TabTwin.Bench -- one &lt;case&gt; [args]  (one case, prints JSON)
/// </summary>
public static class Program
{
    /// <summary>Every section, in RESULTS.md order. A new benchmark adds one <see cref="BenchSection"/> here.</summary>
    internal static readonly BenchSection[] Sections =
    [
        new CsvLoadSection(), new AdultSection(), new ScaleSection(), new DatasetsSection(), new ConditionalSection(),
        new AugmentSection(),
        new GenerateSection(),
        new RelatedGenerateSection(),
        new BenchmarkGenSection(),
        new NeuralSection(),
        new QualitySection(),
        new PrivacySection(),
        new MultiTableSection(),
        new SequenceSection(),
        new SequenceDetectSection(),
        new DpTvaeSection(),
        new DpMarginalSection(),
        new StreamingSection(),
        new PartitionedSampleSection(),
        new ClusterSampleSection(),
        new ClusterFitSection(),
    ];

    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length >= 2 && args[0] == "one")
        {
            var result = Sections.Select(s => s.RunCase(args[1], args[2..])).FirstOrDefault(r => r is not null)
                         ?? throw new ArgumentException($"Unknown case '{args[1]}'.");
            Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
            return 0;
        }
        if (args.Length >= 1 && args[0] == "section")
        {
            var unknown = args[1..].Where(k => Sections.All(s => s.Key != k)).ToArray();
            if (unknown.Length > 0 || args.Length == 1)
            {
                Console.Error.WriteLine($"Name one or more sections: {string.Join(", ", Sections.Select(s => s.Key))}.");
                return 2;
            }
            return Orchestrator.Run(Sections.Where(s => args[1..].Contains(s.Key)).ToArray());
        }
        return Orchestrator.Run(Sections);
    }
}

/// <summary>Measures the chosen sections in child processes and splices them into RESULTS.md.</summary>
internal static class Orchestrator
{
    public static int Run(IReadOnlyList<BenchSection> chosen)
    {
        var repo = FindRepoRoot();
        var work = Path.Combine(Path.GetTempPath(), "tabtwin-bench");
        Directory.CreateDirectory(work);
        var context = new BenchContext(repo, work, Child);
        var path = Path.Combine(repo, "bench", "RESULTS.md");
        var previous = File.Exists(path) ? File.ReadAllText(path) : "";

        var sb = new StringBuilder();
        sb.AppendLine("# TabTwin benchmark results");
        sb.AppendLine();
        sb.AppendLine($"- Machine: {Environment.ProcessorCount} cores, {MachineInfo.CpuModel()}, {MachineInfo.TotalMemoryGb():0} GB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        sb.AppendLine($"- Runtime: .NET {Environment.Version}, Release build, workstation GC; each case in its own process (peak RSS = VmHWM).");
        sb.AppendLine("- Each section states when it was measured and the machine load then: other work on this 2-core machine slows every row alike, so compare ratios within a section.");
        sb.AppendLine("- Re-measure one part with `dotnet run -c Release --project bench/TabTwin.Bench -- section <key>`; everything with no arguments.");
        foreach (var section in Program.Sections)
        {
            sb.AppendLine();
            if (chosen.Contains(section))
            {
                var part = new StringBuilder();
                part.AppendLine($"<!-- section:{section.Key} -->");
                var stamp = $"_Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average (1/5/15 min) {MachineInfo.LoadAverage()}; section key `{section.Key}`._";
                var body = new StringBuilder();
                section.Write(body, context);
                var text = body.ToString();
                int firstLineEnd = text.IndexOf('\n');
                part.Append(text[..(firstLineEnd + 1)]).AppendLine().AppendLine(stamp).Append(text[(firstLineEnd + 1)..]);
                part.AppendLine($"<!-- /section:{section.Key} -->");
                sb.Append(part);
                Console.WriteLine(part);
            }
            else if (Extract(previous, section.Key) is { } kept) sb.AppendLine(kept);
        }
        File.WriteAllText(path, sb.ToString());
        Console.WriteLine($"Written to {path}");
        return 0;
    }

    private static string? Extract(string text, string key)
    {
        var m = Regex.Match(text, $"<!-- section:{Regex.Escape(key)} -->.*?<!-- /section:{Regex.Escape(key)} -->", RegexOptions.Singleline);
        return m.Success ? m.Value : null;
    }

    /// <summary>Runs one case in a fresh process of this same program and parses its RESULT line.</summary>
    private static Dictionary<string, string> Child(string name, string[] args)
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
