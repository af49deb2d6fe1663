using System.CommandLine;
using TabTwin.IO;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Tables;
using TabTwin.Registry;

namespace TabTwin.Cli.Commands;

/// <summary>Options shared by several commands, and the small steps they share (read, detect schema, write).</summary>
internal static class CommonOptions
{
    /// <summary>The synthesizer the user chose, with the rules kept around it: "tvae + 1 rule" rather than "constrained".</summary>
    public static string Describe(ISynthesizerModel model) =>
        model is TabTwin.Sampling.Constraints.ConstrainedModel c
            ? $"{c.Inner.SynthesizerName} + {c.Constraints.Count} {(c.Constraints.Count == 1 ? "rule" : "rules")}"
            : model.SynthesizerName;

    public const string DefaultSynthesizer = "cart";

    public static Argument<string> Source() => new("source")
    {
        Description = "Input table: a file (.csv .tsv .parquet .db/.sqlite .duckdb) or a database (sqlite:<path>, duckdb:<path>, postgres://user:pass@host/db).",
    };

    public static Option<string> Output(string description) => new("--output", "-o") { Description = description, Required = true };
    public static Option<string?> Format() => new("--format") { Description = "Force the input format: csv, tsv, parquet, sqlite, duckdb, postgres." };
    public static Option<string?> Encoding() => new("--encoding")
    {
        Description = "Encoding of a delimited-text input: auto (default: byte-order mark, else UTF-8, else Windows-1252), utf-8, utf-16, utf-16be, windows-1252, latin-1.",
    };

    /// <summary>The encoding named by <c>--encoding</c>; null for auto (the library detects it).</summary>
    public static System.Text.Encoding? ParseEncoding(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "utf-8" or "utf8" => new System.Text.UTF8Encoding(false),
        "utf-16" or "utf16" or "utf-16le" or "utf16le" => new System.Text.UnicodeEncoding(false, false),
        "utf-16be" or "utf16be" => new System.Text.UnicodeEncoding(true, false),
        "windows-1252" or "cp1252" or "1252" => System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1252),
        "latin-1" or "latin1" or "iso-8859-1" => System.Text.Encoding.Latin1,
        _ => throw new UsageException("cli.encoding", $"Unknown --encoding '{name}'.",
            hint: "Use auto, utf-8, utf-16, utf-16be, windows-1252 or latin-1."),
    };

    public static Option<string?> TableName() => new("--table") { Description = "Database table to read (inputs only; name the table to write with --output-table)." };
    public static Option<string?> OutputTable() => new("--output-table") { Description = "Table name to create when the output is a database (default: data)." };
    public static Option<string?> Query() => new("--query") { Description = "SQL query to read instead of a whole table." };
    public static Option<string?> Metadata() => new("--metadata", "-m") { Description = "Metadata JSON (as printed by 'tabtwin inspect') overriding detected column kinds." };
    public static Option<string?> Locale() => new("--locale") { Description = "Locale for fake personal data (Bogus locale, e.g. en, de, fr). Default: from metadata, else en." };
    public static Option<ulong> Seed() => new("--seed") { Description = "Random seed; the same seed gives byte-identical output.", DefaultValueFactory = _ => 0UL };
    public static Option<int?> Rows() => new("--rows", "-n") { Description = "Number of rows to sample (default: as many as the input)." };
    public static Option<string> Synthesizer() => new("--synthesizer", "-s")
    {
        Description = $"Synthesizer: {string.Join(", ", SynthesizerRegistry.Names)}.",
        DefaultValueFactory = _ => DefaultSynthesizer,
    };
    public static Option<string?> SynthesizerOptions() => new("--options")
    {
        Description = "Synthesizer options as JSON, or @file.json (e.g. '{\"privacy\":\"off\"}' or '{\"maxDepth\":10}' for cart).",
    };

    /// <summary>Parses <c>--options</c> (inline JSON or @file) into the element the registry's factories take.</summary>
    public static System.Text.Json.JsonElement? ParseSynthesizerOptions(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string? file = null;
        if (text.StartsWith('@'))
        {
            file = text[1..];
            if (!File.Exists(file)) throw new TabTwinException("cli.options", $"Options file '{file}' does not exist.", file: file);
            text = File.ReadAllText(file);
        }
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new TabTwinException("cli.options", $"--options is not valid JSON: {e.Message}", file: file,
                hint: "Pass a JSON object such as '{\"privacy\":\"off\"}'.");
        }
    }

    public static Option<string?> SignKeyFile() => new("--sign-key-file")
    {
        Description = $"Sign the saved model with the secret key in this file (HMAC-SHA256; default: the file named by ${Models.ModelSigningKey.EnvironmentVariable}).",
    };
    public static Option<string?> VerifyKeyFile() => new("--verify-key-file")
    {
        Description = $"Load the model only if it was signed with the secret key in this file (default: the file named by ${Models.ModelSigningKey.EnvironmentVariable}).",
    };
    /// <summary>
    /// The key that signs (or verifies) a model file: the option's file, else the one <c>$TABTWIN_MODEL_KEY_FILE</c> names,
    /// else none. Resolved before any work so a bad key file fails at once. A key option without a model file to use it
    /// on is a usage error rather than silently ignored.
    /// </summary>
    public static Models.ModelSigningKey? ResolveSigningKey(string? keyFile, string? modelPath, string option = "--sign-key-file")
    {
        if (keyFile is not null && modelPath is null)
            throw new UsageException("cli.key-without-model", $"{option} signs a saved model, but no model file is written.",
                hint: "Add --save-model model.tabtwin, or drop the key option.");
        return Models.ModelSigningKey.Resolve(keyFile);
    }

    public static Option<bool> NoPrivacyCheck() => new("--no-privacy-check")
    {
        Description = "Skip the fit's privacy check (a held-out slice of the rows — with --stream, of the --sample-rows sample; protection raised until synthetic rows sit no nearer to the training rows than to unseen ones).",
    };
    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress output on stderr." };

    public static Table ReadTable(CliConsole console, string source, string? format, string? table, string? query, string? encoding = null)
    {
        var textEncoding = ParseEncoding(encoding);
        CheckTableForFile(source, format, table, query);
        return console.Step($"Reading {TableReader.Describe(source, format)}", _ => TableReader.Read(source, new ReadOptions
        {
            Format = format, TableName = table, Query = query, Encoding = textEncoding, Warning = w => console.Error("warning: " + w),
        }));
    }

    /// <summary>--table and --query select from a database; on a file input they are a mistake, said before anything is read.</summary>
    public static void CheckTableForFile(string source, string? format, string? table, string? query)
    {
        if ((table is not null || query is not null) && !TableReader.IsDatabase(source, format))
            throw new TabTwinException("cli.table-for-file",
                $"--{(table is not null ? "table" : "query")} selects from a database input, but '{source}' is a file.",
                hint: "Drop it, or name the table to write with --output-table.");
    }

    public static void WriteTable(CliConsole console, Table table, string destination, WriteOptions options) =>
        console.Step($"Writing {TableReader.Describe(destination)}", _ => TableWriter.Write(table, destination, options));

    /// <summary>Detected schema, overridden by a metadata file when one is given, then checked against the table.</summary>
    public static TableSchema ResolveSchema(Table table, string? metadataPath, string? locale)
    {
        var detected = SchemaDetector.Detect(table, new SchemaDetectionOptions { Locale = locale ?? "en" });
        var schema = detected;
        if (metadataPath is not null)
        {
            if (!File.Exists(metadataPath))
                throw new SchemaException("metadata.not-found", $"Metadata file '{metadataPath}' does not exist.", file: metadataPath);
            var user = SchemaJson.FromJson(File.ReadAllText(metadataPath), metadataPath);
            schema = SchemaOverrides.Apply(detected, user, table, metadataPath);
        }
        if (locale is not null) schema = schema with { Locale = locale };
        schema.Validate(table);
        return schema;
    }
}
