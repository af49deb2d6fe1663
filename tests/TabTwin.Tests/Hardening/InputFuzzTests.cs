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
/// Fuzzing of the inputs a user types or hands over (issue 15, "Done means"): byte mutants of a real CSV, Parquet and
/// SQLite file, and random expressions, --where conditions and specs. Every outcome is a success or a coded
/// <see cref="TabTwinException"/> — any other exception fails the case (CsCheck shrinks it and prints the seed). The
/// iteration counts keep the whole family near a minute on two cores; run them alone with --filter "Category=Fuzz".
/// </summary>
[Trait("Category", "Fuzz")]
public class InputFuzzTests
{
    private static readonly Lazy<Table> Penguins = new(() => TableReader.Read(TestData.Dataset("penguins", "penguins.csv")).Head(40));

    /// <summary>Runs <paramref name="action"/>; a coded error is an accepted outcome, anything else escapes and fails the case.</summary>
    private static void SuccessOrCoded(Action action)
    {
        try { action(); }
        catch (TabTwinException e) { Assert.False(string.IsNullOrEmpty(e.Code)); Assert.True(e.Message.Length <= TabTwinException.MaxMessageLength + 50); }
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

    private static void FuzzFile(string extension, Action<Table, string> write, int iterations)
    {
        var dir = TestData.NewTempDir();
        var original = Path.Combine(dir, "original" + extension);
        write(Penguins.Value, original);
        var bytes = File.ReadAllBytes(original);
        int n = 0;
        Mutants(bytes).Sample(mutant =>
        {
            var path = Path.Combine(dir, $"m{Interlocked.Increment(ref n)}{extension}");
            File.WriteAllBytes(path, mutant);
            SuccessOrCoded(() => TableReader.Read(path));
            File.Delete(path);
        }, iter: iterations, threads: 1);
    }

    [Fact]
    public void Csv_byte_mutants_read_or_fail_with_a_code() =>
        FuzzFile(".csv", (t, p) => TableWriter.Write(t, p), 1500);

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
    }
}
