using TabTwin.Tests.Support;

namespace TabTwin.Tests.Architecture;

/// <summary>
/// Layers point one way. Every top-level namespace of src/TabTwin (and the CLI) has a layer; a namespace may use
/// namespaces of its own layer or below, never above, and the namespaces of one layer must not form a cycle.
/// The same table is in README ("Layout"); a new top-level namespace fails here until it is given a layer.
/// </summary>
public sealed class LayerTests
{
    /// <summary>Top-level namespace (the segment after <c>TabTwin.</c>; "" = the root <c>TabTwin</c>) → layer, bottom = 0.</summary>
    public static readonly IReadOnlyDictionary<string, int> Layers = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        // 0 Foundation: data structures and helpers with no knowledge of schemas or models.
        [""] = 0,                 // TabTwinException and its subclasses
        ["Tables"] = 0,           // typed columns, missing masks, concatenation
        ["Randomness"] = 0,       // seeded random streams, stable hashes
        ["Distributions"] = 0,    // parametric and empirical distributions, normal math, KS fitting
        ["Bundles"] = 0,          // model bundle writing/reading (what a model stores)
        ["Fakes"] = 0,            // fake personal values, people, check digits
        ["DifferentialPrivacy"] = 0, // the privacy accountant, zCDP/(ε, δ) conversions, Gaussian and exponential mechanisms
        // 1 Core: understanding and encoding a table.
        ["Schema"] = 1,
        ["Expressions"] = 1,
        ["Encoding"] = 1,
        ["Neural"] = 1,
        // 2 Synthesis: synthesizers, then what samples through them (conditions, constraints, rebalancing).
        ["Synthesizers"] = 2,
        ["Sampling"] = 2,
        // 3 The registry: the one place that names every synthesizer (and the constraints wrapper).
        ["Registry"] = 3,
        // 4 Applications of the library: files and databases, model files, evaluation, generation, augmentation.
        ["IO"] = 4,
        ["Models"] = 4,
        ["Evaluation"] = 4,
        ["Generation"] = 4,
        ["Augmentation"] = 4,
        ["Synthesis"] = 4,        // the short API: SyntheticData.Synthesize, Fit(table), Sample(n)
        ["MultiTable"] = 4,       // learning and sampling a whole relational database (uses Synthesis, never IO)
        ["Sequences"] = 4,        // learning and sampling entities with their histories (uses Synthesis, never IO or Evaluation)
        ["DuckDb"] = 4,           // src/TabTwin.DuckDb: the optional DuckDB engine behind IO (IO finds it by name only)
        ["Cluster"] = 4,          // src/TabTwin.Cluster: Orleans silos, membership and distributed jobs over the library
        // 5 The command line: parses, calls the library, prints.
        ["Cli"] = 5,
    };

    private static readonly Lazy<NamespaceGraph> Source = new(() => NamespaceGraph.FromDirectories(TestData.RepoRoot, "src/TabTwin", "src/TabTwin.Cli", "src/TabTwin.DuckDb", "src/TabTwin.Cli.DuckDb", "src/TabTwin.Cluster"));

    /// <summary>"TabTwin.Synthesizers.Cart" → "Synthesizers"; "TabTwin" → ""; null for namespaces outside TabTwin.</summary>
    public static string? TopLevel(string ns) =>
        ns == "TabTwin" ? "" : ns.StartsWith("TabTwin.", StringComparison.Ordinal) ? ns["TabTwin.".Length..].Split('.')[0] : null;

    /// <summary>Every violation of the layer rules in <paramref name="graph"/>, one readable line each.</summary>
    public static List<string> Violations(NamespaceGraph graph, IReadOnlyDictionary<string, int> layers)
    {
        var problems = new List<string>();
        foreach (var (file, ns) in graph.Files)
        {
            if (TopLevel(ns) is not { } top) { problems.Add($"{file}: namespace '{ns}' is not inside TabTwin"); continue; }
            if (!layers.ContainsKey(top)) problems.Add($"{file}: namespace '{ns}' has no layer; add '{top}' to the layer table (test and README)");
        }
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var r in graph.References)
        {
            if (TopLevel(r.FromNamespace) is not { } from || TopLevel(r.ToNamespace) is not { } to || from == to) continue;
            if (!layers.TryGetValue(from, out int fromLayer) || !layers.TryGetValue(to, out int toLayer)) continue;
            if (toLayer > fromLayer)
                problems.Add($"{r.File}: {r.FromNamespace} (layer {fromLayer}) uses {r.ToNamespace} (layer {toLayer}, above it) via '{r.Evidence}'");
            else if (toLayer == fromLayer)
            {
                if (!edges.TryGetValue(from, out var set)) edges[from] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(to);
            }
        }
        foreach (var cycle in Cycles(edges)) problems.Add($"same-layer cycle: {string.Join(" -> ", cycle)}");
        return problems;
    }

    /// <summary>One cycle per strongly connected group of more than one namespace (depth-first search).</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> edges)
    {
        var cycles = new List<List<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);  // 1 = on the current path, 2 = done
        var path = new List<string>();
        void Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1) cycles.Add([.. path[path.IndexOf(next)..], next]);
                else if (state.GetValueOrDefault(next) == 0) Visit(next);
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
        }
        foreach (var node in edges.Keys.Order(StringComparer.Ordinal)) if (state.GetValueOrDefault(node) == 0) Visit(node);
        return cycles;
    }

    [Fact]
    public void No_namespace_uses_one_above_it_and_no_layer_has_a_cycle()
    {
        var problems = Violations(Source.Value, Layers);
        Assert.True(problems.Count == 0, "Layer rules broken:\n" + string.Join("\n", problems.Take(40)));
    }

    [Fact]
    public void Each_folder_holds_the_namespace_of_its_name_so_the_folder_tells_the_layer()
    {
        var misplaced = Source.Value.Files
            .Where(f => f.File.StartsWith("src/TabTwin/", StringComparison.Ordinal))
            .Select(f => (f.File, f.Namespace, Folder: f.File["src/TabTwin/".Length..].Split('/') is { Length: > 1 } parts ? parts[0] : ""))
            .Where(f => TopLevel(f.Namespace) != f.Folder)
            .Select(f => $"{f.File}: namespace {f.Namespace}")
            .ToList();
        Assert.True(misplaced.Count == 0, "Files whose namespace does not match their top folder:\n" + string.Join("\n", misplaced));
    }

    [Fact]
    public void The_scan_sees_the_library_s_real_imports()
    {
        // Guards the parser: if it stopped seeing references, the layer test above would pass vacuously.
        var graph = Source.Value;
        Assert.True(graph.Files.Count > 250, $"only {graph.Files.Count} source files found");
        Assert.Contains(graph.References, r => r.File.EndsWith("Registry/SynthesizerRegistry.cs", StringComparison.Ordinal) && r.ToNamespace == "TabTwin.Sampling.Constraints");
        Assert.Contains(graph.References, r => TopLevel(r.FromNamespace) == "Synthesizers" && r.ToNamespace == "TabTwin.Bundles");
        Assert.Contains(graph.References, r => TopLevel(r.FromNamespace) == "Cli" && TopLevel(r.ToNamespace) == "Models");
    }

    [Fact]
    public void An_upward_import_a_qualified_reference_and_a_same_layer_cycle_are_each_reported()
    {
        var graph = NamespaceGraph.FromSources(
        [
            ("Tables/Table.cs", "namespace TabTwin.Tables;\npublic sealed class Table { }"),
            ("Schema/TableSchema.cs", "using TabTwin.Tables;\nnamespace TabTwin.Schema;\npublic sealed class TableSchema { Table? t; }"),
            ("Encoding/Enc.cs", "namespace TabTwin.Encoding;\n// using TabTwin.Evaluation; in a comment is no import\npublic sealed class Enc { object o = Evaluation.Report.Quality; string s = \"TabTwin.IO.Reader\"; }"),
            ("Evaluation/Report.cs", "namespace TabTwin.Evaluation;\npublic sealed class Report { public static int Quality; }"),
            ("Tables/Loop.cs", "using TabTwin.Randomness;\nnamespace TabTwin.Tables;\npublic sealed class Loop { }"),
            ("Randomness/Seeded.cs", "namespace TabTwin.Randomness;\npublic sealed class Seeded { TabTwin.Tables.Table? t; }"),
            ("IO/Reader.cs", "namespace TabTwin.IO;\npublic sealed class Reader { }"),
        ]);
        var problems = Violations(graph, Layers);
        Assert.Contains(problems, p => p.StartsWith("Encoding/Enc.cs: TabTwin.Encoding (layer 1) uses TabTwin.Evaluation (layer 4", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("same-layer cycle: Randomness -> Tables -> Randomness", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("TabTwin.IO", StringComparison.Ordinal));   // only named in a string
        Assert.DoesNotContain(problems, p => p.StartsWith("Schema/", StringComparison.Ordinal));    // Schema → Tables points down
        Assert.Equal(2, problems.Count);
    }
}
