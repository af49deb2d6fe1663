using System.Globalization;
using System.Text;

namespace TabTwin.Expressions;

/// <summary>
/// Splits expression text into tokens. Hand-written (no regex) so every error can point at the exact character.
/// Strings are 'x' or "x" with the quote doubled inside ('it''s'); column names with spaces or symbols are
/// written in brackets, ]] standing for a literal ].
/// </summary>
internal static class Tokenizer
{
    private static readonly string[] TwoCharOperators = ["==", "!=", "<>", "<=", ">=", "&&", "||"];
    private const string OneCharOperators = "+-*/%<>!=";

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) { tokens.Add(new Token(TokenKind.End, "", text.Length)); return tokens; }
            char c = text[i];
            int start = i;
            if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
                tokens.Add(ReadNumber(text, ref i));
            else if (c == '\'' || c == '"')
                tokens.Add(new Token(TokenKind.String, ReadQuoted(text, ref i, c, "string"), start));
            else if (c == '[')
                tokens.Add(new Token(TokenKind.QuotedIdentifier, ReadQuoted(text, ref i, ']', "column name", open: '['), start));
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
            }
            else if (c == '(') { tokens.Add(new Token(TokenKind.LeftParen, "(", i++)); }
            else if (c == ')') { tokens.Add(new Token(TokenKind.RightParen, ")", i++)); }
            else if (c == ',') { tokens.Add(new Token(TokenKind.Comma, ",", i++)); }
            else if (i + 1 < text.Length && Array.IndexOf(TwoCharOperators, text.Substring(i, 2)) >= 0)
            {
                tokens.Add(new Token(TokenKind.Operator, text.Substring(i, 2), i));
                i += 2;
            }
            else if (OneCharOperators.Contains(c)) { tokens.Add(new Token(TokenKind.Operator, c.ToString(), i++)); }
            else
            {
                string hint = c is '&' or '|' ? $" (did you mean '{c}{c}'?)" : "";
                throw new ExpressionException("expr.syntax", $"Unexpected character '{c}'{hint}", text, i);
            }
        }
    }

    private static Token ReadNumber(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && char.IsDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.') { i++; while (i < text.Length && char.IsDigit(text[i])) i++; }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            int save = i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
            if (i < text.Length && char.IsDigit(text[i])) { while (i < text.Length && char.IsDigit(text[i])) i++; }
            else i = save; // "2e" is the number 2 followed by an identifier; let the parser complain about that
        }
        if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_'))
            throw new ExpressionException("expr.syntax", $"Malformed number '{text[start..(i + 1)]}'", text, start,
                hint: "Column names that start with a digit must be written in brackets, e.g. [2nd_value].");
        var s = text[start..i];
        double v = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(v))
            throw new ExpressionException("expr.syntax", $"Number '{s}' is too large", text, start);
        return new Token(TokenKind.Number, s, start, v);
    }

    private static string ReadQuoted(string text, ref int i, char close, string what, char? open = null)
    {
        int start = i;
        i++; // opening quote or bracket
        var sb = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
                throw new ExpressionException("expr.syntax", $"Unterminated {what}: missing closing {close}", text, start);
            char c = text[i];
            if (c == close)
            {
                if (i + 1 < text.Length && text[i + 1] == close) { sb.Append(close); i += 2; continue; }
                i++;
                break;
            }
            sb.Append(c);
            i++;
        }
        if (open is not null && sb.Length == 0)
            throw new ExpressionException("expr.syntax", "Empty column name []", text, start);
        return sb.ToString();
    }
}
