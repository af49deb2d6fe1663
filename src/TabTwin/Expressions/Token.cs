namespace TabTwin.Expressions;

internal enum TokenKind { Number, String, Identifier, QuotedIdentifier, Operator, LeftParen, RightParen, Comma, End }

/// <summary>One lexical token with its 0-based start offset in the source text.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, double Number = 0)
{
    public bool IsOperator(string op) => Kind == TokenKind.Operator && Text == op;
    /// <summary>An unbracketed identifier spelled like <paramref name="keyword"/> (keywords are case-insensitive).</summary>
    public bool IsKeyword(string keyword) => Kind == TokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the expression",
        TokenKind.String => $"string '{Text}'",
        TokenKind.QuotedIdentifier => $"[{Text}]",
        _ => $"'{Text}'",
    };
}
