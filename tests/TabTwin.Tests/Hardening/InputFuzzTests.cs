using CsCheck;
using TabTwin.Expressions;
using TabTwin.Generation;
using TabTwin.Generation.Spec;
using TabTwin.IO;
using TabTwin.Sampling;
using TabTwin.Schema;
using TabTwin.Tables;
using TabTwin.Tests.Support;

namespace TabTwin.Tests.Hardening;

/// <summary>
/// Fuzzing of the inputs a user types or hands over (issue 15, "Done means"): byte mutants of a real CSV (UTF-8 and
/// Windows-1252), Parquet and SQLite file, and random expressions, --where conditions and specs. Every outcome is a
/// success or a coded <see cref="TabTwinException"/> — any other exception fails the case (CsCheck shrinks it and prints
/// the seed) — within <see cref="HangLimit"/> and allocating at most <see cref="AllocationBound"/> (all threads: the class
/// runs alone, so nothing else allocates meanwhile). The iteration counts keep the whole family near a minute on two
/// cores; run them alone with --filter "Category=Fuzz".
/// </summary>
[Trait("Category", "Fuzz")]
[Collection(RunsAlone.Name)]
public class InputFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);
    /// <summary>
    /// Most one case may allocate, on all threads together. Measured largest cases: 13 MiB reading a 40-row CSV mutant
    /// (fixed buffers: the encoding check's 1 MiB chunks, the CSV blocks of both passes), 16 MiB generating a 30-row spec,
    /// under 1 MiB for Parquet, SQLite, expressions and conditions; a mutant may not make any of them need 4 times that.
    /// </summary>
    private const long AllocationBound = 64L << 20;
    private long _largest;
    private static readonly Lazy<Table> Penguins = new(() => TableReader.Read(TestData.Dataset("penguins", "penguins.csv")).Head(40));

    /// <summary>
    /// Runs <paramref name="action"/>; a coded error is an accepted outcome, anything else escapes and fails the case, as
    /// does running past <see cref="HangLimit"/> or allocating more than <see cref="AllocationBound"/>.
    /// </summary>
    private void SuccessOrCoded(Action action)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var task = Task.Run(action);
        try
        {
            Assert.True(task.Wait(HangLimit), $"still running after {HangLimit.TotalSeconds} s");
        }
        catch (AggregateException e) when (e.InnerException is TabTwinException t)
        {
            Assert.False(string.IsNullOrEmpty(t.Code));
            Assert.True(t.Message.Length <= TabTwinException.MaxMessageLength + 50);
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated <= AllocationBound, $"allocated {allocated:N0} bytes");
        lock (output) _largest = Math.Max(_largest, allocated);
    }

    private void ReportLargest(string family)
    {
        output.WriteLine($"{family}: largest allocation of one case {_largest:N0} bytes (bound {AllocationBound:N0})");
        _largest = 0;
    }

    private static Gen<T> Pick<T>(T[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    /// <summary>Byte-level mutations: flips, inserted special bytes, cut-offs and repeated slices.</summary>
    private static Gen<byte[]> Mutants(byte[] original) =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, original.Length - 1], Gen.Int[1, 64], Pick<byte>([0, 0xFF, (byte)'"', (byte)',', (byte)'\n', (byte)'\r', 0xC3, 0x80, (byte)'9', (byte)'e']))
            .Select((kind, at, length, b) =>
            {
                var bytes = original.ToList();
                switch (kind)
                {
                    case 0: for (int i = at; i < Math.Min(bytes.Count, at + length); i += 7) bytes[i] = (byte)(bytes[i] ^ (1 << (i % 8))); break;
                    case 1: bytes.InsertRange(at, Enumerable.Repeat(b, length)); break;
                    case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                    default: bytes.InsertRange(at, bytes.Skip(at).Take(length * 16).ToArray()); break;
                }
                return bytes.ToArray();
            });

    private void FuzzFile(string extension, Action<Table, string> write, int iterations)
    {
        var dir = TestData.NewTempDir();
        var original = Path.Combine(dir, "original" + extension);
        write(Penguins.Value, original);
        FuzzBytes(dir, extension, File.ReadAllBytes(original), iterations, _ => { });
    }

    private void FuzzBytes(string dir, string extension, byte[] bytes, int iterations, Action<Table> check)
    {
        int n = 0;
        Mutants(bytes).Sample(mutant =>
        {
            var path = Path.Combine(dir, $"m{Interlocked.Increment(ref n)}{extension}");
            File.WriteAllBytes(path, mutant);
            SuccessOrCoded(() => check(TableReader.Read(path)));
            File.Delete(path);
        }, iter: iterations, threads: 1);
        ReportLargest(extension);
    }

    [Fact]
    public void Csv_byte_mutants_read_or_fail_with_a_code() =>
        FuzzFile(".csv", (t, p) => TableWriter.Write(t, p), 1500);

    /// <summary>
    /// chinook's real customers (Gonçalves, Köhler, São José, …) in Windows-1252, mutated and given byte-order marks:
    /// every mutant is read in some encoding or refused with its offset, and no cell ever holds U+FFFD.
    /// </summary>
    [Fact]
    public void Encoding_byte_mutants_read_without_replacement_characters_or_fail_with_a_code()
    {
        var windows1252 = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        var lines = File.ReadAllLines(TestData.Dataset("chinook", "Customer.csv")).Take(40)
            .Where(l => windows1252.GetString(windows1252.GetBytes(l)) == l);
        var bytes = windows1252.GetBytes(string.Join("\n", lines) + "\n");
        byte[][] marks = [[], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xFF, 0xFE, 0, 0]];
        var dir = TestData.NewTempDir();
        int k = 0;
        foreach (var mark in marks)
            FuzzBytes(dir, $".{k++}.csv", [.. mark, .. bytes], 300, table =>
            {
                foreach (var column in table.Columns)
                    for (int i = 0; i < column.Length; i++)
                        Assert.DoesNotContain('\uFFFD', column.FormatValue(i) ?? "");
            });
    }

    [Fact]
    public void Sqlite_byte_mutants_read_or_fail_with_a_code() =>
        FuzzFile(".db", (t, p) => TableWriter.Write(t, p), 400);

    [Fact]
    public void Parquet_byte_mutants_read_or_fail_with_a_code() =>
        FuzzFile(".parquet", (t, p) => TableWriter.Write(t, p), 400);

    private static readonly string[] ExpressionWords =
    [
        "bill_length_mm", "body_mass_g", "species", "island", "sex", "year", "nope", "1", "0", "-3.5", "1e308", "\"Adelie\"", "'x'",
        "+", "-", "*", "/", "%", ">", ">=", "<", "==", "!=", "and", "or", "not", "(", ")", ",", "abs(", "round(", "min(", "max(",
        "if(", "is", "missing", "in", "\"", "\\", "\u00e9", "  ",
    ];

    [Fact]
    public void Random_expressions_evaluate_or_fail_with_a_code()
    {
        var table = Penguins.Value;
        Pick(ExpressionWords).Array[1, 30].Select(w => string.Join(" ", w)).Sample(text =>
            SuccessOrCoded(() => Expression.Parse(text).Evaluate(table)), iter: 4000, threads: 1);
        ReportLargest("expressions");
    }

    private static readonly string[] ConditionWords =
    [
        "species", "bill_length_mm", "year", "sex", "nope", "=", "!=", ">=", "<", "in", "not", "between", "and", "is", "missing",
        "(", ")", ",", "Adelie", "'Gentoo'", "\"x", "30", "-1e308", "NaN", "inf", "2007-01-01", " ",
    ];

    [Fact]
    public void Random_where_conditions_parse_or_fail_with_a_code()
    {
        var schema = SchemaDetector.Detect(Penguins.Value);
        Gen.Select(Pick(ConditionWords).Array[1, 12], Gen.Bool).Select((w, spaced) => string.Join(spaced ? " " : "", w)).Sample(text =>
            SuccessOrCoded(() => ConditionParser.Parse(text, schema)), iter: 4000, threads: 1);
        ReportLargest("conditions");
    }

    private static readonly string[] SpecPieces =
    [
        "{ type: normal, mean: 1, sd: 2 }", "{ type: categorical, values: { a: 0.5, b: 0.5 } }", "{ type: id, format: \"C-{0000}\" }",
        "{ type: email }", "{ type: uniform, min: 5, max: 1 }", "{ type: normal, sd: -1 }", "{ formula: \"x * 2\" }", "[1, 2, [3]]",
        "&a { type: normal, mean: 0, sd: 1 }", "*a", "*missing", "{ dependsOn: c0, cases: { a: normal(0, 1) } }", "lognormal(mean=1, sd=0)",
        "{ type: datetime, min: 2020-01-01, max: 2019-01-01 }", "{ type: normal, mean: 1e308, sd: 1e308 }", "null", "\"\"", "{ {",
    ];

    [Fact]
    public void Random_specs_generate_or_fail_with_a_code()
    {
        Gen.Select(Pick(SpecPieces).Array[1, 5], Gen.Int[0, 30]).Sample((pieces, rows) =>
        {
            var yaml = $"version: 1\nrows: {rows}\ncolumns:\n" + string.Concat(pieces.Select((p, i) => $"  c{i}: {p}\n"));
            SuccessOrCoded(() => DataGenerator.Generate(SpecReader.FromYaml(yaml, "fuzz.yaml"), options: new GenerateOptions { Threads = 1 }));
        }, iter: 1500, threads: 1);
        ReportLargest("specs");
    }
}
