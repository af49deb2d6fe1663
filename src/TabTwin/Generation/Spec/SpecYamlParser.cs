using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TabTwin.Generation.Spec;

/// <summary>
/// YAML text → <see cref="SpecNode"/> tree from YamlDotNet's parser events, with an explicit stack instead of recursion,
/// so hostile input cannot exhaust memory or the stack: nesting deeper than <see cref="MaxDepth"/>, a tree that (with its
/// aliases expanded) has more than <see cref="MaxNodes"/> nodes — the "billion laughs" — and text longer than
/// <see cref="MaxChars"/> are "spec.too-large" errors. Aliases share the anchored node (the tree stays small in memory),
/// but their expanded size counts, because everything after parsing walks the tree as if expanded.
/// </summary>
internal static class SpecYamlParser
{
    public const int MaxDepth = 64;
    public const long MaxNodes = 1_000_000;
    public const int MaxChars = 64 << 20;

    private sealed class Frame(bool isMap, int line, string? anchor)
    {
        public readonly bool IsMap = isMap;
        public readonly int Line = line;
        public readonly string? Anchor = anchor;
        public readonly List<SpecNode> Items = [];
        public readonly List<KeyValuePair<string, SpecNode>> Entries = [];
        public readonly HashSet<string> Keys = new(StringComparer.Ordinal);
        public string? PendingKey;
        public long Weight = 1;
    }

    public static SpecNode Parse(string text, string? file)
    {
        string where = file ?? "spec";
        if (text.Length > MaxChars)
            throw TooLarge(file, $"{where}: the spec is {text.Length:N0} characters; at most {MaxChars:N0} are read.");
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, (SpecNode Node, long Weight)>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        SpecNode? root = null;
        try
        {
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
                throw new SpecException("spec.empty", $"{where}: the spec is empty.", file: file);
            while (root is null)
            {
                var e = parser.Consume<ParsingEvent>();
                int line = (int)e.Start.Line;
                switch (e)
                {
                    case Scalar s:
                        bool plainNull = s.Style == ScalarStyle.Plain && s.Value is "" or "~" or "null" or "Null" or "NULL";
                        Deliver(new SpecScalar(plainNull ? null : s.Value, line), 1, Anchor(s.Anchor), line);
                        break;
                    case SequenceStart q:
                        Push(new Frame(false, line, Anchor(q.Anchor)), line);
                        break;
                    case MappingStart m:
                        Push(new Frame(true, line, Anchor(m.Anchor)), line);
                        break;
                    case SequenceEnd or MappingEnd:
                        var done = stack.Pop();
                        if (done.IsMap && done.PendingKey is not null)
                            throw Syntax(file, line, $"the key '{done.PendingKey}' has no value.");
                        SpecNode node = done.IsMap ? new SpecMap(done.Entries, done.Line) : new SpecList(done.Items, done.Line);
                        Deliver(node, done.Weight, done.Anchor, done.Line);
                        break;
                    case AnchorAlias a:
                        if (!anchors.TryGetValue(a.Value.Value, out var anchored))
                            throw Syntax(file, line, $"the alias *{a.Value} names no anchor defined before it.");
                        Deliver(anchored.Node, anchored.Weight, null, line);
                        break;
                    default:
                        throw Syntax(file, line, $"unexpected {e.GetType().Name}.");
                }
            }
        }
        catch (YamlException e)
        {
            int line = (int)e.Start.Line;
            throw new SpecException("spec.syntax", $"{where} (line {line}): not valid YAML: {Clean(e.Message)}", line: line, file: file, inner: e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's parser reports some malformed flow collections (e.g. "{ {") this way instead of a YamlException.
            throw new SpecException("spec.syntax", $"{where}: not valid YAML: {e.Message}", file: file, inner: e);
        }
        return root;

        void Push(Frame frame, int line)
        {
            if (stack.Count >= MaxDepth)
                throw TooLarge(file, $"{where} (line {line}): lists and mappings are nested more than {MaxDepth} deep.", line);
            stack.Push(frame);
        }

        void Deliver(SpecNode node, long weight, string? anchor, int line)
        {
            if (anchor is not null) anchors[anchor] = (node, weight);
            if (stack.Count == 0)
            {
                root = node;
                return;
            }
            var parent = stack.Peek();
            parent.Weight += weight;
            if (parent.Weight > MaxNodes)
                throw TooLarge(file, $"{where} (line {line}): the spec expands to more than {MaxNodes:N0} values (YAML aliases count once per use).", line);
            if (!parent.IsMap)
            {
                parent.Items.Add(node);
                return;
            }
            if (parent.PendingKey is null)
            {
                if (node is not SpecScalar { Text: { } key })
                    throw Syntax(file, line, "mapping keys must be plain names.");
                if (!parent.Keys.Add(key))
                    throw new SpecException("spec.duplicate-key", $"{where} (line {line}): the key '{Bounded(key)}' appears twice.", field: Bounded(key), line: line, file: file);
                parent.PendingKey = key;
                return;
            }
            parent.Entries.Add(new(parent.PendingKey, node));
            parent.PendingKey = null;
        }
    }

    private static string? Anchor(AnchorName name) => name.IsEmpty ? null : name.Value;

    private static string Bounded(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static string Clean(string message) => message.StartsWith('(') && message.Contains("): ") ? message[(message.IndexOf("): ") + 3)..] : message;

    private static SpecException Syntax(string? file, int line, string problem) =>
        new("spec.syntax", $"{file ?? "spec"} (line {line}): {problem}", line: line, file: file);

    private static SpecException TooLarge(string? file, string message, int? line = null) =>
        new("spec.too-large", message, line: line, file: file, hint: "A spec describes columns and distributions; it needs neither deep nesting nor repeated aliases.");
}
