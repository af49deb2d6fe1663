using System.Text.RegularExpressions;

namespace TabTwin.Tests.Architecture;

/// <summary>One file's dependency on another top-level namespace of TabTwin, with the text that caused it.</summary>
public sealed record NamespaceReference(string File, string FromNamespace, string ToNamespace, string Evidence);

/// <summary>
/// The import structure of C# source files, read from the text: each file's namespace declaration, its
/// <c>using TabTwin.X</c> directives (plain, static, alias, global) and the qualified names in its code
/// (<c>TabTwin.X.Type</c>, or <c>X.Type</c> resolved against the enclosing <c>TabTwin</c> namespace as the compiler does).
/// Comments (including XML-doc crefs) and string literals are ignored: they are not dependencies.
/// This is what the compiler lets a file see, so a type from another namespace cannot be used without showing up
/// here, except through the enclosing namespaces, which the layer rules treat as the same unit.
/// </summary>
public sealed partial class NamespaceGraph
{
    private NamespaceGraph(IReadOnlyList<(string File, string Namespace)> files, IReadOnlyList<NamespaceReference> references)
    {
        Files = files;
        References = references;
    }

    /// <summary>Every parsed file (path relative to the scanned roots) with its declared namespace ("" when none).</summary>
    public IReadOnlyList<(string File, string Namespace)> Files { get; }

    /// <summary>References between different namespaces (a namespace's own and its parents' are left out).</summary>
    public IReadOnlyList<NamespaceReference> References { get; }

    /// <summary>Parses every .cs file under <paramref name="roots"/> (bin/ and obj/ skipped).</summary>
    public static NamespaceGraph FromDirectories(string baseDirectory, params string[] roots)
    {
        var sources = new List<(string, string)>();
        foreach (var root in roots)
            foreach (var path in Directory.EnumerateFiles(Path.Combine(baseDirectory, root), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(baseDirectory, path).Replace('\\', '/');
                if (relative.Split('/').Any(part => part is "bin" or "obj")) continue;
                sources.Add((relative, File.ReadAllText(path)));
            }
        return FromSources(sources);
    }

    /// <summary>Parses in-memory sources (file name, text).</summary>
    public static NamespaceGraph FromSources(IEnumerable<(string File, string Text)> sources)
    {
        var parsed = sources.Select(s => (s.File, Code: StripCommentsAndStrings(s.Text))).Select(s => (s.File, s.Code, Namespace: DeclaredNamespace(s.Code))).ToList();
        var typesByNamespace = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (_, code, ns) in parsed)
        {
            if (!typesByNamespace.TryGetValue(ns, out var set)) typesByNamespace[ns] = set = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in TypeDeclaration().Matches(code)) set.Add(m.Groups["name"].Value);
        }
        var namespaces = new HashSet<string>(typesByNamespace.Keys, StringComparer.Ordinal);
        foreach (var ns in typesByNamespace.Keys)
            for (int dot = ns.IndexOf('.'); dot > 0; dot = ns.IndexOf('.', dot + 1)) namespaces.Add(ns[..dot]);

        var references = new List<NamespaceReference>();
        foreach (var (file, code, ns) in parsed)
        {
            void Add(string target, string evidence)
            {
                if (target.Length == 0 || target == ns || ns.StartsWith(target + ".", StringComparison.Ordinal)) return;
                references.Add(new NamespaceReference(file, ns, target, evidence));
            }
            foreach (Match m in UsingDirective().Matches(code)) Add(m.Groups["ns"].Value, m.Value.Trim());
            foreach (Match m in DottedName().Matches(code))
            {
                var chain = m.Value;
                if (chain.StartsWith("TabTwin.", StringComparison.Ordinal)) Add(LongestNamespace(chain, namespaces, typesByNamespace) ?? "", chain);
                else if (ns.StartsWith("TabTwin", StringComparison.Ordinal))
                    Add(ResolveRelative(chain, ns, namespaces, typesByNamespace) ?? "", chain);
            }
        }
        return new NamespaceGraph(parsed.Select(p => (p.File, p.Namespace)).ToList(), references);
    }

    /// <summary>As the compiler looks up <c>X.Y</c> inside namespace A.B: first A.B.X.Y, then A.X.Y, and so on outwards.</summary>
    private static string? ResolveRelative(string chain, string ns, HashSet<string> namespaces, Dictionary<string, HashSet<string>> types)
    {
        for (var scope = ns; scope.Length > 0; scope = scope.Contains('.') ? scope[..scope.LastIndexOf('.')] : "")
            if (LongestNamespace(scope + "." + chain, namespaces, types) is { } found && found.Length > scope.Length) return found;
        return null;
    }

    /// <summary>The longest namespace prefix of a dotted name that is followed by one of its types or child namespaces.</summary>
    private static string? LongestNamespace(string dotted, HashSet<string> namespaces, Dictionary<string, HashSet<string>> types)
    {
        var parts = dotted.Split('.');
        for (int k = parts.Length - 1; k >= 1; k--)
        {
            var candidate = string.Join('.', parts[..k]);
            if (!namespaces.Contains(candidate)) continue;
            bool nextIsType = types.TryGetValue(candidate, out var set) && set.Contains(parts[k]);
            if (nextIsType || namespaces.Contains(candidate + "." + parts[k])) return candidate;
        }
        return null;
    }

    private static string DeclaredNamespace(string code) => NamespaceDeclaration().Match(code) is { Success: true } m ? m.Groups["ns"].Value : "";

    /// <summary>Blanks comments and string/char literals (keeping line structure) so only code is searched.</summary>
    internal static string StripCommentsAndStrings(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/') { while (i < text.Length && text[i] != '\n') i++; continue; }
            if (c == '/' && next == '*')
            {
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                sb.Append(' ');
                continue;
            }
            if (c == '"' && next == '"' && i + 2 < text.Length && text[i + 2] == '"')
            {
                int end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 3;
                sb.Append("\"\"");
                continue;
            }
            if (c == '@' && next == '"' || c == '$' && next == '@' || c == '@' && next == '$')
            {
                i = text.IndexOf('"', i) + 1;
                while (i < text.Length && !(text[i] == '"' && (i + 1 >= text.Length || text[i + 1] != '"'))) i += text[i] == '"' ? 2 : 1;
                i++;
                sb.Append("\"\"");
                continue;
            }
            if (c is '"' or '\'')
            {
                i++;
                while (i < text.Length && text[i] != c && text[i] != '\n') i += text[i] == '\\' ? 2 : 1;
                i++;
                sb.Append("\"\"");
                continue;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"^\s*namespace\s+(?<ns>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?<ns>TabTwin(?:\.\w+)*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")]
    private static partial Regex DottedName();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?|delegate\s+[\w<>\[\]?,. ]+?)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();
}
