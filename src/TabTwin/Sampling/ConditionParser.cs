using System.Globalization;
using System.Text;
using TabTwin.Schema;
using TabTwin.Synthesizers;
using TabTwin.Synthesizers.Conditioning;

namespace TabTwin.Sampling;

/// <summary>
/// Parses one condition written the way people type them on a command line:
/// <c>country=DE</c>, <c>country != "United States"</c>, <c>age&gt;=30</c>, <c>age &lt; 40</c>,
/// <c>age between 30 and 40</c> (inclusive), <c>country in (DE, FR, "United Kingdom")</c>, <c>country not in (DE)</c>,
/// <c>signup&gt;=2020-01-01</c>, <c>email is missing</c>, <c>email is not missing</c>.
/// Operators: = (or ==), != (or &lt;&gt;), &lt;, &lt;=, &gt;, &gt;=, in, not in, between ... and ..., is [not] missing (or null).
/// Column names are matched against the schema (longest name first, so names with spaces or dashes need no quotes;
/// "double quotes" or `backticks` quote a name explicitly). Values may be quoted with '...' or "..." (a doubled quote
/// inside stands for itself); unquoted values are trimmed. Keywords are case-insensitive. Errors are
/// <see cref="TabTwinException"/>s (<c>condition.parse</c>, <c>condition.unknown-column</c>, <c>condition.wrong-kind</c>,
/// <c>condition.bad-value</c>) naming the text and the column.
/// </summary>
public static class ConditionParser
{
    private static readonly string[] SymbolOperators = [">=", "<=", "!=", "<>", "==", "=", "<", ">"];

    public static ColumnCondition Parse(string where, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(schema);
        var text = where.Trim();
        if (text.Length == 0) throw Error(where, null, "it is empty; write e.g. country=DE or age>=30");
        var (column, rest) = SplitColumn(where, text, schema);
        var cs = schema[column];
        rest = rest.TrimStart();
        var condition = ParseOperator(where, cs, rest);
        try { ConditionSet.Of(condition).Validate(schema); }
        catch (TabTwinException e)
        {
            // Show the condition as the user wrote it.
            throw new TabTwinException(e.Code, e.Message.Replace($"Condition '{condition}'", $"Condition '{where.Trim()}'"), e.Column, e.Row, e.File, e.Hint, e.InnerException);
        }
        return condition;
    }

    /// <summary>Every <c>--where</c> text, as one set (conditions on the same column intersect).</summary>
    public static ConditionSet ParseAll(IEnumerable<string> wheres, TableSchema schema) =>
        ConditionSet.Of(wheres.Select(w => Parse(w, schema)).ToArray());

    /// <summary>
    /// The conditions of one cell of a conditions table for column <paramref name="column"/>: a plain value means
    /// equality (<c>DE</c>, <c>35</c>); a cell starting with an operator is a condition on that column
    /// (<c>&gt;=30</c>, <c>!=DE</c>, <c>in (DE, FR)</c>, <c>between 30 and 40</c>, <c>is missing</c>); empty/missing = no condition.
    /// &lt; and &gt; start a condition only on numerical and datetime columns (so a category like <c>&gt;50K</c> stays a value).
    /// </summary>
    public static ColumnCondition? ParseCell(string column, string? cell, TableSchema schema)
    {
        if (cell is null || cell.Trim().Length == 0) return null;
        var t = cell.Trim();
        // Comparisons only mean something for numbers and dates: a categorical cell such as ">50K" is a value.
        bool ordered = schema.Find(column)?.Kind is ColumnKind.Numerical or ColumnKind.Datetime;
        if (t[0] is '!' or '=' || t.StartsWith("<>", StringComparison.Ordinal) || (ordered && t[0] is '>' or '<')) return Parse(Quote(column) + t, schema);
        if (Keyword(t, "in") || Keyword(t, "not") || Keyword(t, "between") || Keyword(t, "is")) return Parse(Quote(column) + " " + t, schema);
        var condition = new EqualsCondition(column, cell);
        ConditionSet.Of(condition).Validate(schema);
        return condition;
    }

    /// <summary>
    /// One condition set per row of <paramref name="conditions"/> (cells read by <see cref="ParseCell"/>) and, when the
    /// table has a <see cref="ConditionalSampling.CountColumn"/> column, the rows wanted per set. Errors name the row.
    /// </summary>
    public static (ConditionSet[] Sets, int[]? Counts) ParseTable(Tables.Table conditions, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(schema);
        var countColumn = conditions.Columns.FirstOrDefault(c => c.Name == ConditionalSampling.CountColumn);
        var conditionColumns = conditions.Columns.Where(c => c != countColumn).ToArray();
        foreach (var c in conditionColumns)
            if (schema.Find(c.Name) is null)
                throw new TabTwinException("condition.unknown-column",
                    $"The conditions table has a column '{TabTwinException.Clip(c.Name)}' that the model does not have; the model's columns are: {string.Join(", ", schema.Columns.Select(x => x.Name))}.",
                    column: c.Name, hint: $"Name condition columns exactly like the model's columns; '{ConditionalSampling.CountColumn}' may give the rows per set.");
        var sets = new ConditionSet[conditions.RowCount];
        var counts = countColumn is null ? null : new int[conditions.RowCount];
        for (int i = 0; i < sets.Length; i++)
        {
            try
            {
                sets[i] = ConditionSet.Of(conditionColumns.Select(c => ParseCell(c.Name, c.FormatValue(i), schema)).OfType<ColumnCondition>());
                if (counts is not null)
                {
                    var text = countColumn!.FormatValue(i);
                    if (text is null || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out counts[i]) || counts[i] < 0)
                        throw new TabTwinException("condition.bad-count",
                            $"'{ConditionalSampling.CountColumn}' must be a whole number of rows ≥ 0, not '{text ?? "(empty)"}'.", column: ConditionalSampling.CountColumn);
                }
            }
            catch (TabTwinException e) when (e.Row is null)
            {
                throw new TabTwinException(e.Code, $"Conditions row {i + 1}: {e.Message}", e.Column, i + 1, e.File, e.Hint, e);
            }
        }
        return (sets, counts);
    }

    private static string Quote(string column) => "\"" + column.Replace("\"", "\"\"") + "\"";

    private static (string Column, string Remainder) SplitColumn(string where, string text, TableSchema schema)
    {
        if (text[0] is '"' or '`')
        {
            var (name, next) = ReadQuoted(where, text, 0, text[0]);
            if (schema.Find(name) is null) throw UnknownColumn(where, name, schema);
            return (name, text[next..]);
        }
        foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        {
            var match = schema.Columns.Select(c => c.Name)
                .Where(n => n.Length > 0 && text.StartsWith(n, comparison) && StartsWithOperator(text[n.Length..]))
                .OrderByDescending(n => n.Length).FirstOrDefault();
            if (match is not null) return (match, text[match.Length..]);
        }
        // No schema column fits: name what the user wrote (up to the operator) in the error.
        int end = text.IndexOfAny(['=', '!', '<', '>']);
        var guess = (end < 0 ? text.Split(' ')[0] : text[..end]).Trim();
        foreach (var keyword in new[] { " in ", " not ", " between ", " is " })
        {
            int k = text.IndexOf(keyword, StringComparison.OrdinalIgnoreCase);
            if (k > 0 && (end < 0 || k < end)) guess = text[..k].Trim();
        }
        if (end < 0 && !text.Contains(' ')) throw Error(where, null, "it has no operator; write column=value, column>=number, column in (a, b) ...");
        throw UnknownColumn(where, guess, schema);
    }

    private static bool StartsWithOperator(string rest)
    {
        if (rest.Length == 0) return false;
        if (rest[0] is '=' or '!' or '<' or '>') return true;
        if (!char.IsWhiteSpace(rest[0])) return false;
        var t = rest.TrimStart();
        return t.Length > 0 && (t[0] is '=' or '!' or '<' or '>' || Keyword(t, "in") || Keyword(t, "not") || Keyword(t, "between") || Keyword(t, "is"));
    }

    /// <summary>Does <paramref name="text"/> start with <paramref name="word"/> followed by whitespace, '(' or the end.</summary>
    private static bool Keyword(string text, string word) =>
        text.StartsWith(word, StringComparison.OrdinalIgnoreCase) && (text.Length == word.Length || char.IsWhiteSpace(text[word.Length]) || text[word.Length] == '(');

    private static ColumnCondition ParseOperator(string where, ColumnSchema cs, string rest)
    {
        string col = cs.Name;
        foreach (var op in SymbolOperators)
        {
            if (!rest.StartsWith(op, StringComparison.Ordinal)) continue;
            var value = ReadValue(where, col, rest[op.Length..]);
            return op switch
            {
                "=" or "==" => new EqualsCondition(col, value),
                "!=" or "<>" => new NotInCondition(col, [value]),
                _ => Range(where, cs, op, value),
            };
        }
        if (Keyword(rest, "is"))
        {
            var words = rest[2..].Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words is ["missing"] or ["null"]) return new EqualsCondition(col, null);
            if (words is ["not", "missing"] or ["not", "null"]) return new NotInCondition(col, [null]);
            throw Error(where, col, "after 'is' write 'missing' or 'not missing'");
        }
        if (Keyword(rest, "not"))
        {
            var after = rest[3..].TrimStart();
            if (!Keyword(after, "in")) throw Error(where, col, "after 'not' write 'in (...)'");
            return new NotInCondition(col, ReadList(where, col, after[2..]));
        }
        if (Keyword(rest, "in")) return new InCondition(col, ReadList(where, col, rest[2..]));
        if (Keyword(rest, "between"))
        {
            var body = rest[7..];
            int and = FindAnd(body);
            if (and < 0) throw Error(where, col, "write 'between LOW and HIGH'");
            var low = ReadValue(where, col, body[..and]);
            var high = ReadValue(where, col, body[(and + 5)..]);
            var lo = Bound(where, cs, low);
            var hi = Bound(where, cs, high);
            return new RangeCondition(col, lo, true, hi, true);
        }
        throw Error(where, col, "expected an operator (=, !=, <, <=, >, >=, in, not in, between, is missing) after the column name");
    }

    /// <summary>The position of the word 'and' (with surrounding whitespace) outside quotes, or −1.</summary>
    private static int FindAnd(string body)
    {
        char quote = '\0';
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') { quote = c; continue; }
            if (char.IsWhiteSpace(c) && i + 4 < body.Length && string.Compare(body, i + 1, "and", 0, 3, StringComparison.OrdinalIgnoreCase) == 0
                && char.IsWhiteSpace(body[i + 4])) return i;
        }
        return -1;
    }

    private static RangeCondition Range(string where, ColumnSchema cs, string op, string value)
    {
        if (cs.Kind is not (ColumnKind.Numerical or ColumnKind.Datetime))
            throw new TabTwinException("condition.wrong-kind",
                $"Condition '{where.Trim()}': column '{cs.Name}' is {cs.KindLabel}; '{op}' compares numbers and dates only.",
                column: cs.Name, hint: "Use = , != or in (...) for categorical and boolean columns.");
        double x = Bound(where, cs, value);
        return op switch
        {
            ">=" => new RangeCondition(cs.Name, x, true, null, false),
            ">" => new RangeCondition(cs.Name, x, false, null, false),
            "<=" => new RangeCondition(cs.Name, null, false, x, true),
            _ => new RangeCondition(cs.Name, null, false, x, false),
        };
    }

    /// <summary>A range bound in the column's units: the number, or the wall-clock ticks of a date.</summary>
    private static double Bound(string where, ColumnSchema cs, string value)
    {
        if (cs.Kind == ColumnKind.Datetime && ConditionValues.TryParseTicks(value, cs.Format, out long ticks)) return ticks;
        if (cs.Kind == ColumnKind.Numerical && ConditionValues.TryParseNumber(value, out double x)) return x;
        if (cs.Kind is not (ColumnKind.Numerical or ColumnKind.Datetime))
            throw new TabTwinException("condition.wrong-kind",
                $"Condition '{where.Trim()}': column '{cs.Name}' is {cs.KindLabel}; ranges apply to numerical and datetime columns only.", column: cs.Name);
        throw new TabTwinException("condition.bad-value",
            $"Condition '{where.Trim()}': '{value}' is not a {(cs.Kind == ColumnKind.Datetime ? "date/time" : "number")} (column '{cs.Name}' is {cs.KindLabel}).",
            column: cs.Name, hint: cs.Kind == ColumnKind.Datetime ? "Write dates as yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss." : "Write numbers with a dot for decimals, e.g. 42 or 3.5.");
    }

    /// <summary>One value: quoted (the whole rest must be the quoted text) or bare (trimmed, non-empty).</summary>
    private static string ReadValue(string where, string column, string text)
    {
        var t = text.Trim();
        if (t.Length == 0) throw Error(where, column, "the value is missing; to ask for missing values write 'is missing'");
        if (t[0] is '"' or '\'')
        {
            var (value, next) = ReadQuoted(where, t, 0, t[0]);
            if (t[next..].Trim().Length > 0) throw Error(where, column, $"unexpected text '{t[next..].Trim()}' after the quoted value");
            return value;
        }
        return t;
    }

    private static string[] ReadList(string where, string column, string text)
    {
        var t = text.Trim();
        if (t.Length < 2 || t[0] != '(' || t[^1] != ')') throw Error(where, column, "write the values in parentheses, e.g. in (DE, FR)");
        var items = new List<string>();
        int i = 1;
        while (true)
        {
            while (i < t.Length - 1 && char.IsWhiteSpace(t[i])) i++;
            string item;
            if (t[i] is '"' or '\'')
            {
                (item, i) = ReadQuoted(where, t, i, t[i]);
                while (i < t.Length - 1 && char.IsWhiteSpace(t[i])) i++;
            }
            else
            {
                int start = i;
                while (i < t.Length - 1 && t[i] != ',') i++;
                item = t[start..i].Trim();
                if (item.Length == 0) throw Error(where, column, "the list has an empty value");
            }
            items.Add(item);
            if (i >= t.Length - 1) break;
            if (t[i] != ',') throw Error(where, column, $"expected ',' or ')' in the list at '{t[i..]}'");
            i++;
        }
        return items.ToArray();
    }

    /// <summary>Text between quotes starting at <paramref name="start"/> (doubled quotes escape); returns the position after the closing quote.</summary>
    private static (string Value, int Next) ReadQuoted(string where, string text, int start, char quote)
    {
        var sb = new StringBuilder();
        for (int i = start + 1; i < text.Length; i++)
        {
            if (text[i] != quote) { sb.Append(text[i]); continue; }
            if (i + 1 < text.Length && text[i + 1] == quote) { sb.Append(quote); i++; continue; }
            return (sb.ToString(), i + 1);
        }
        throw Error(where, null, $"a {quote} quote is not closed");
    }

    private static TabTwinException Error(string where, string? column, string what) => new("condition.parse",
        $"Cannot read the condition '{TabTwinException.Clip(where.Trim())}'{(column is null ? "" : $" on column '{TabTwinException.Clip(column)}'")}: {what}.", column: column,
        hint: "Examples: country=DE, age>=30, age<40, country in (DE, FR), signup>=2020-01-01, email is missing.");

    private static TabTwinException UnknownColumn(string where, string name, TableSchema schema)
    {
        var names = schema.Columns.Select(c => c.Name).ToArray();
        var close = names.Where(n => n.Contains(name, StringComparison.OrdinalIgnoreCase) || name.Contains(n, StringComparison.OrdinalIgnoreCase)).Take(3).ToArray();
        return new TabTwinException("condition.unknown-column",
            string.Create(CultureInfo.InvariantCulture, $"Condition '{TabTwinException.Clip(where.Trim())}': there is no column '{TabTwinException.Clip(name)}'; the columns are: {string.Join(", ", names)}."),
            column: name, hint: close.Length > 0 ? $"Did you mean {string.Join(" or ", close.Select(c => $"'{c}'"))}?" : "Column names are case-sensitive; quote names with \"...\" if needed.");
    }
}
