using System.Diagnostics;
using TabTwin.Models;
using TabTwin.Synthesizers;
using TabTwin.Tests.Contract;
using TabTwin.Tests.Support;
using Xunit.Abstractions;

namespace TabTwin.Tests.Models;

/// <summary>
/// Model-file fuzzing (issue 15): mutants of a saved model of every synthesizer, from every <see cref="MutationFamily"/>,
/// are loaded and — when they load — sampled. Every outcome must be success or a coded <see cref="TabTwinException"/>:
/// never another exception (an internal error, exit 70 in the CLI), a hang (30 s per mutant) or an allocation above
/// <see cref="AllocationBound"/> on the loading thread. The run stops after <see cref="Mutants"/> mutants or, on a slow
/// machine, at the time box; it fails if the box let fewer than <see cref="MinimumMutants"/> run.
/// </summary>
[Trait("Category", "Fuzz")]
public class ModelFileFuzzTests(ITestOutputHelper output)
{
    /// <summary>Mutants per run (override with TABTWIN_FUZZ_MUTANTS, e.g. for a long local run).</summary>
    private static readonly int Mutants = int.TryParse(Environment.GetEnvironmentVariable("TABTWIN_FUZZ_MUTANTS"), out var n) ? n : 10_000;
    private const int MinimumMutants = 2_000;
    private static readonly TimeSpan TimeBox = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);
    /// <summary>Most a mutant may make TabTwin allocate while loading and sampling 20 rows (its largest payload is 64 MiB).</summary>
    private const long AllocationBound = 160L << 20;

    [Fact]
    public async Task Every_mutant_loads_or_fails_with_a_coded_error()
    {
        var (table, schema) = SampleTables.Mixed(120);
        var originals = SynthesizerCases.NameList.Select(name =>
        {
            var model = Small(name).Fit(table, schema, new FitContext(Seed: 5) { MaxThreads = 1 });
            using var ms = new MemoryStream();
            ModelFile.Save(model, ms);
            return (Name: name, Bytes: ms.ToArray());
        }).ToArray();
        foreach (var (name, bytes) in originals) Assert.True(Outcome(bytes).Outcome == "loaded", $"the unmutated {name} model does not load");

        var families = Enum.GetValues<MutationFamily>();
        var outcomes = new Dictionary<string, int>();
        var failures = new List<string>();
        var seconds = new Dictionary<MutationFamily, double>();
        var clock = Stopwatch.StartNew();
        int run = 0;
        for (; run < Mutants && clock.Elapsed < TimeBox && failures.Count < 20; run++)
        {
            var (name, original) = originals[run % originals.Length];
            var family = families[run / originals.Length % families.Length];
            // Bombs cost a multi-megabyte compression each to build: every other one becomes a state edit.
            if (family == MutationFamily.CompressionBomb && run / originals.Length / families.Length % 2 == 1) family = MutationFamily.StateEdit;
            var mutator = new ModelFileMutator(new Random(run));
            var started = clock.Elapsed;
            byte[] mutant;
            string description;
            try { mutant = mutator.Mutate(original, family, out description); }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or System.Text.Json.JsonException)
            {
                continue; // the mutator could not apply this edit to this file (e.g. no such node): nothing to test
            }
            var task = Task.Run(() => Outcome(mutant));
            string where = $"#{run} {name} {family}: {description}";
            if (await Task.WhenAny(task, Task.Delay(HangLimit)) != task) { failures.Add($"{where}: still running after {HangLimit.TotalSeconds} s"); break; }
            var (outcome, allocated) = await task;
            if (outcome.StartsWith("internal", StringComparison.Ordinal)) failures.Add($"{where}: {outcome}");
            else if (allocated > AllocationBound) failures.Add($"{where}: allocated {allocated:N0} bytes");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            seconds[family] = seconds.GetValueOrDefault(family) + (clock.Elapsed - started).TotalSeconds;
        }
        output.WriteLine($"{run} mutants in {clock.Elapsed.TotalSeconds:0} s; outcomes: " +
                         string.Join(", ", outcomes.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
        output.WriteLine("seconds by family: " + string.Join(", ", seconds.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:0.0}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(run >= Math.Min(MinimumMutants, Mutants), $"only {run} mutants ran within the {TimeBox.TotalMinutes} min box");
    }

    /// <summary>"loaded", a TabTwinException code, or "internal …" for anything else; plus the bytes allocated on this thread.</summary>
    private static (string Outcome, long Allocated) Outcome(byte[] mutant)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        string outcome;
        try
        {
            var model = ModelFile.Load(new MemoryStream(mutant));
            model.Sample(20, 7, new SampleContext { MaxThreads = 1 });
            outcome = "loaded";
        }
        catch (TabTwinException e) { outcome = e.Code; }
        catch (Exception e)
        {
            var frame = new StackTrace(e).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("TabTwin", StringComparison.Ordinal) == true);
            outcome = $"internal {e.GetType().Name}: {e.Message} at {frame?.GetMethod()?.DeclaringType?.Name}.{frame?.GetMethod()?.Name}";
        }
        return (outcome, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The contract's fast settings, smaller still for the neural synthesizers (the files, not the quality, matter here).</summary>
    private static ISynthesizer Small(string name) => name switch
    {
        "tvae" => SynthesizerCatalog.Tvae(new() { Epochs = 1, BatchSize = 60, EmbeddingDim = 8, CompressDims = [16], DecompressDims = [16], MaxThreads = 1 }),
        "ctgan" => SynthesizerCatalog.Ctgan(new() { Epochs = 1, BatchSize = 60, EmbeddingDim = 8, GeneratorDim = [16], DiscriminatorDim = [16], MaxThreads = 1 }),
        _ => SynthesizerCases.CreateFast(name),
    };
}
