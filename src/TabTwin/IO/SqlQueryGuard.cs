namespace TabTwin.IO;

/// <summary>
/// Early, clear refusal of a <c>--query</c> that is not one read-only statement. The guarantee that reading never
/// changes a database is the engine's read-only mode (see <see cref="DbSource.Open"/>); this check only turns the
/// common mistakes and attacks (<c>DROP</c>, <c>COPY … TO</c>, <c>ATTACH</c>, <c>VACUUM INTO</c>, <c>PRAGMA</c>, a second
/// statement after <c>;</c>, a <c>?</c> parameter nobody will bind) into a coded error before anything runs.
/// It lexes just enough SQL to skip string literals, quoted identifiers and comments.
/// </summary>
internal static class SqlQueryGuard
{
    /// <summary>Statements that only read: the first keyword of an accepted query.</summary>
    private static readonly HashSet<string> ReadingKeywords = new(StringComparer.OrdinalIgnoreCase)
        { "SELECT", "WITH", "VALUES", "TABLE", "FROM" };

    /// <summary>Keywords that change data wherever they appear (PostgreSQL allows them inside a WITH).</summary>
    private static readonly HashSet<string> WritingKeywords = new(StringComparer.OrdinalIgnoreCase)
        { "INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "CREATE", "ALTER", "ATTACH", "DETACH", "COPY", "PRAGMA", "VACUUM", "TRUNCATE", "INTO" };

    public static void Check(string query, string source, DbKind kind)
    {
        var words = new List<(string Word, int At)>();
        int? parameterAt = null, separatorAt = null;
        int i = 0;
        while (i < query.Length)
        {
            char c = query[i];
            if (c is '\'' or '"' or '`') { i = SkipQuoted(query, i, c); continue; }
            if (c == '[' ) { i = SkipQuoted(query, i, ']'); continue; }
            if (c == '-' && At(query, i + 1) == '-') { while (i < query.Length && query[i] != '\n') i++; continue; }
            if (c == '/' && At(query, i + 1) == '*')
            {
                int end = query.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? query.Length : end + 2;
                continue;
            }
            if (separatorAt is not null && !char.IsWhiteSpace(c))
                throw Refuse(source, "holds more than one statement (text follows the ';')",
                    "Pass one SELECT query; TabTwin never runs a second statement.");
            if (c == ';') { separatorAt = i; i++; continue; }
            if (IsPlaceholder(query, i, kind)) parameterAt ??= i;
            if (char.IsLetter(c) || c == '_')
            {
                int start = i;
                while (i < query.Length && (char.IsLetterOrDigit(query[i]) || query[i] == '_')) i++;
                words.Add((query[start..i], start));
                continue;
            }
            i++;
        }
        if (words.Count == 0)
            throw Refuse(source, "is empty", "Pass a SELECT query, e.g. --query \"select * from sales\".");
        if (!ReadingKeywords.Contains(words[0].Word))
            throw Refuse(source, $"starts with {words[0].Word.ToUpperInvariant()}; only a read-only SELECT (or WITH … SELECT, VALUES) is accepted",
                "Inputs are opened read-only: query the data with SELECT and change the database with its own tools.");
        var writing = words.FirstOrDefault(w => WritingKeywords.Contains(w.Word));
        if (writing.Word is not null)
            throw Refuse(source, $"contains {writing.Word.ToUpperInvariant()}, which writes; only a read-only SELECT is accepted",
                "Inputs are opened read-only: query the data with SELECT and change the database with its own tools.");
        if (parameterAt is { } p)
            throw Refuse(source, $"has a parameter placeholder ('{query[p]}' at character {p + 1}) that nothing fills",
                "Write the value into the query itself, e.g. where year > 2020.");
    }

    /// <summary>
    /// <c>?</c>, <c>?1</c>, <c>$1</c>, <c>$name</c>, <c>:name</c>, <c>@name</c> in SQLite/DuckDB; <c>$1</c> in PostgreSQL (whose
    /// <c>?</c> is a jsonb operator). <c>::</c> casts and DuckDB's <c>{'k': v}</c> / <c>list[1:2]</c> are not placeholders.
    /// </summary>
    private static bool IsPlaceholder(string q, int i, DbKind kind)
    {
        char c = q[i], next = At(q, i + 1);
        if (kind == DbKind.Postgres) return c == '$' && char.IsDigit(next) && !char.IsLetterOrDigit(At(q, i - 1));
        return c switch
        {
            '?' => true,
            '$' => char.IsLetterOrDigit(next) && !char.IsLetterOrDigit(At(q, i - 1)),
            ':' or '@' => (char.IsLetter(next) || next == '_') && At(q, i - 1) != ':' && !char.IsLetterOrDigit(At(q, i - 1)),
            _ => false,
        };
    }

    private static char At(string s, int i) => i >= 0 && i < s.Length ? s[i] : '\0';

    /// <summary>Index just past the closing <paramref name="close"/> (a doubled closer is an escaped one).</summary>
    private static int SkipQuoted(string s, int open, char close)
    {
        int i = open + 1;
        while (i < s.Length)
        {
            if (s[i] == close)
            {
                if (At(s, i + 1) == close && close != ']') { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return s.Length;
    }

    private static DataSourceException Refuse(string source, string problem, string hint) =>
        new("db.query-not-read-only", $"{source}: the --query {problem}.", file: source, hint: hint);
}
