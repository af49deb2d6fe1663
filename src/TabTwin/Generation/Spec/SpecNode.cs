using System.Text;
using System.Text.Json;

namespace TabTwin.Generation.Spec;

/// <summary>
/// The format-neutral tree a spec file is read into (YAML and JSON both), keeping the line of every node so binding
/// errors can point at it. Scalars keep their text; whether they were quoted decides nothing but is kept for messages.
/// </summary>
internal abstract record SpecNode(int? Line)
{
    public abstract string Shape { get; }
}

internal sealed record SpecScalar(string? Text, int? Line) : SpecNode(Line)
{
    public bool IsNull => Text is null;
    public override string Shape => IsNull ? "null" : $"'{Text}'";
}

internal sealed record SpecMap(IReadOnlyList<KeyValuePair<string, SpecNode>> Entries, int? Line) : SpecNode(Line)
{
    public override string Shape => "a mapping";
    public SpecNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
    public bool Has(string key) => Entries.Any(e => e.Key == key);
}

internal sealed record SpecList(IReadOnlyList<SpecNode> Items, int? Line) : SpecNode(Line)
{
    public override string Shape => "a list";
}

/// <summary>Parses YAML (YamlDotNet) and JSON (System.Text.Json) text into <see cref="SpecNode"/> trees.</summary>
internal static class SpecTextParser
{
    /// <summary>YAML through parser events with depth, size and alias-expansion limits (see <see cref="SpecYamlParser"/>).</summary>
    public static SpecNode ParseYaml(string text, string? file) => SpecYamlParser.Parse(text, file);

    public static SpecNode ParseJson(string text, string? file)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] == '\n') lineStarts.Add(i + 1);
        int LineAt(long offset)
        {
            int idx = lineStarts.BinarySearch((int)offset);
            return (idx >= 0 ? idx : ~idx - 1) + 1;
        }

        // MaxDepth bounds the recursion of ReadJson: deeper nesting is a JsonException, reported as spec.syntax.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = SpecYamlParser.MaxDepth });
        try
        {
            if (!reader.Read()) throw new SpecException("spec.empty", $"{file ?? "spec"}: the spec is empty.", file: file);
            var root = ReadJson(ref reader, LineAt, file);
            if (reader.Read()) throw new JsonException("unexpected content after the end of the document.");
            return root;
        }
        catch (JsonException e)
        {
            int line = LineAt(reader.TokenStartIndex);
            throw new SpecException("spec.syntax", $"{file ?? "spec"} (line {line}): not valid JSON: {e.Message}", line: line, file: file, inner: e);
        }
    }

    private static SpecNode ReadJson(ref Utf8JsonReader reader, Func<long, int> lineAt, string? file)
    {
        int line = lineAt(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var entries = new List<KeyValuePair<string, SpecNode>>();
                var keys = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string key = reader.GetString()!;
                    int keyLine = lineAt(reader.TokenStartIndex);
                    if (!keys.Add(key))
                        throw new SpecException("spec.duplicate-key", $"{file ?? "spec"} (line {keyLine}): the key '{key}' appears twice.", field: key, line: keyLine, file: file);
                    reader.Read();
                    entries.Add(new(key, ReadJson(ref reader, lineAt, file)));
                }
                return new SpecMap(entries, line);
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<SpecNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(ReadJson(ref reader, lineAt, file));
                return new SpecList(items, line);
            }
            case JsonTokenType.String: return new SpecScalar(reader.GetString(), line);
            case JsonTokenType.Number: return new SpecScalar(System.Text.Encoding.UTF8.GetString(reader.ValueSpan), line);
            case JsonTokenType.True: return new SpecScalar("true", line);
            case JsonTokenType.False: return new SpecScalar("false", line);
            case JsonTokenType.Null: return new SpecScalar(null, line);
            default: throw new JsonException($"unexpected token {reader.TokenType}.");
        }
    }
}
