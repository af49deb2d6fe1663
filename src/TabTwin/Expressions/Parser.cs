namespace TabTwin.Expressions;

/// <summary>
/// Recursive-descent parser. Grammar, weakest binding first:
/// <code>
/// or      := and (('||' | 'or') and)*
/// and     := not (('&amp;&amp;' | 'and') not)*
/// not     := ('!' | 'not') not | compare
/// compare := add [ ('=='|'='|'!='|'&lt;&gt;'|'&lt;'|'&lt;='|'&gt;'|'&gt;=') add
///                | ['not'] 'in' '(' or (',' or)* ')'
///                | ['not'] 'between' add 'and' add ]
/// add     := mul (('+'|'-') mul)*
/// mul     := neg (('*'|'/'|'%') neg)*
/// neg     := '-' neg | atom
/// atom    := number | string | true | false | null | name | [name] | name '(' [or (',' or)*] ')' | '(' or ')'
/// </code>
/// Comparisons do not chain (<c>a &lt; b &lt; c</c> is an error, say <c>b between a and c</c> or use &amp;&amp;).
/// </summary>
internal sealed class Parser
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
        { "and", "or", "not", "in", "between", "true", "false", "null" };

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _next;

    /// <summary>Longest accepted expression in tokens: keeps every recursive walk of the tree far from the stack limit.</summary>
    public const int MaxTokens = 2000;

    private Parser(string text)
    {
        _text = text;
        _tokens = Tokenizer.Tokenize(text);
        if (_tokens.Count > MaxTokens)
            throw new ExpressionException("expr.syntax", $"The expression is too long ({_tokens.Count} tokens; at most {MaxTokens})",
                text, _tokens[MaxTokens].Position);
    }

    public static bool IsKeyword(string name) => Keywords.Contains(name);

    /// <summary>Maximum nesting depth, so hostile input cannot overflow the stack.</summary>
    public const int MaxDepth = 200;
    private int _depth;

    public static ExprNode Parse(string text)
    {
        var p = new Parser(text);
        if (p.Peek.Kind == TokenKind.End)
            throw new ExpressionException("expr.syntax", "The expression is empty", text, 0);
        var node = p.ParseOr();
        if (p.Peek.Kind != TokenKind.End)
            throw p.Error($"Unexpected {p.Peek.Describe()} after a complete expression", p.Peek);
        return node;
    }

    private Token Peek => _tokens[_next];
    private Token Take() => _tokens[_next++];

    private ExpressionException Error(string message, Token at, string? hint = null) =>
        new("expr.syntax", message, _text, at.Position, hint: hint);

    private ExprNode ParseOr()
    {
        if (++_depth > MaxDepth) throw Error($"The expression nests deeper than {MaxDepth} levels", Peek);
        try
        {
            var left = ParseAnd();
            while (Peek.IsOperator("||") || Peek.IsKeyword("or"))
            {
                var op = Take();
                left = new BinaryNode(BinaryOperator.Or, left, ParseAnd(), left.Position, op.Position);
            }
            return left;
        }
        finally { _depth--; }
    }

    private ExprNode ParseAnd()
    {
        var left = ParseNot();
        while (Peek.IsOperator("&&") || Peek.IsKeyword("and"))
        {
            var op = Take();
            left = new BinaryNode(BinaryOperator.And, left, ParseNot(), left.Position, op.Position);
        }
        return left;
    }

    private ExprNode ParseNot()
    {
        if (Peek.IsOperator("!") || Peek.IsKeyword("not"))
        {
            var op = Take();
            Guard(op);
            try { return new UnaryNode(UnaryOperator.Not, ParseNot(), op.Position); }
            finally { _depth--; }
        }
        return ParseCompare();
    }

    private ExprNode ParseCompare()
    {
        var left = ParseAdd();
        var t = Peek;
        BinaryOperator? op = t.Kind != TokenKind.Operator ? null : t.Text switch
        {
            "==" or "=" => BinaryOperator.Equal,
            "!=" or "<>" => BinaryOperator.NotEqual,
            "<" => BinaryOperator.Less,
            "<=" => BinaryOperator.LessOrEqual,
            ">" => BinaryOperator.Greater,
            ">=" => BinaryOperator.GreaterOrEqual,
            _ => null,
        };
        ExprNode result;
        if (op is not null)
        {
            Take();
            result = new BinaryNode(op.Value, left, ParseAdd(), left.Position, t.Position);
        }
        else
        {
            bool negated = false;
            if (t.IsKeyword("not") && (_tokens[_next + 1].IsKeyword("in") || _tokens[_next + 1].IsKeyword("between")))
            {
                Take();
                negated = true;
            }
            if (Peek.IsKeyword("in")) { Take(); result = new InNode(left, ParseList(), negated, left.Position); }
            else if (Peek.IsKeyword("between"))
            {
                Take();
                var low = ParseAdd();
                if (!Peek.IsKeyword("and"))
                    throw Error($"Expected 'and' in 'between ... and ...' but found {Peek.Describe()}", Peek);
                Take();
                result = new BetweenNode(left, low, ParseAdd(), negated, left.Position);
            }
            else return left;
        }
        if (Peek.Kind == TokenKind.Operator && Peek.Text is "==" or "=" or "!=" or "<>" or "<" or "<=" or ">" or ">="
            || Peek.IsKeyword("in") || Peek.IsKeyword("between"))
            throw Error("Comparisons cannot be chained", Peek, "Combine them with &&, e.g. a < b && b < c, or use 'b between a and c'.");
        return result;
    }

    private List<ExprNode> ParseList()
    {
        Expect(TokenKind.LeftParen, "'(' after 'in'");
        var items = new List<ExprNode> { ParseOr() };
        while (Peek.Kind == TokenKind.Comma) { Take(); items.Add(ParseOr()); }
        Expect(TokenKind.RightParen, "',' or ')' in the 'in' list");
        return items;
    }

    private ExprNode ParseAdd()
    {
        var left = ParseMul();
        while (Peek.IsOperator("+") || Peek.IsOperator("-"))
        {
            var op = Take();
            left = new BinaryNode(op.Text == "+" ? BinaryOperator.Add : BinaryOperator.Subtract, left, ParseMul(), left.Position, op.Position);
        }
        return left;
    }

    private ExprNode ParseMul()
    {
        var left = ParseNegate();
        while (Peek.IsOperator("*") || Peek.IsOperator("/") || Peek.IsOperator("%"))
        {
            var op = Take();
            var kind = op.Text switch { "*" => BinaryOperator.Multiply, "/" => BinaryOperator.Divide, _ => BinaryOperator.Modulo };
            left = new BinaryNode(kind, left, ParseNegate(), left.Position, op.Position);
        }
        return left;
    }

    private ExprNode ParseNegate()
    {
        if (!Peek.IsOperator("-")) return ParseAtom();
        var op = Take();
        // "-3" is the literal minus three; "-(3)" and "-x" negate.
        if (Peek.Kind == TokenKind.Number) return new LiteralNode(-Take().Number, op.Position);
        Guard(op);
        try { return new UnaryNode(UnaryOperator.Negate, ParseNegate(), op.Position); }
        finally { _depth--; }
    }

    private ExprNode ParseAtom()
    {
        var t = Take();
        switch (t.Kind)
        {
            case TokenKind.Number: return new LiteralNode(t.Number, t.Position);
            case TokenKind.String: return new LiteralNode(t.Text, t.Position);
            case TokenKind.QuotedIdentifier: return new ColumnNode(t.Text, t.Position);
            case TokenKind.LeftParen:
            {
                var inner = ParseOr();
                Expect(TokenKind.RightParen, "')'");
                return inner;
            }
            case TokenKind.Identifier:
                if (t.IsKeyword("true")) return new LiteralNode(true, t.Position);
                if (t.IsKeyword("false")) return new LiteralNode(false, t.Position);
                if (t.IsKeyword("null")) return new LiteralNode(null, t.Position);
                if (IsKeyword(t.Text))
                    throw Error($"Expected a value but found the keyword '{t.Text}'", t,
                        $"A column named '{t.Text}' must be written in brackets: [{t.Text}].");
                if (Peek.Kind == TokenKind.LeftParen) return ParseCall(t);
                return new ColumnNode(t.Text, t.Position);
            case TokenKind.End:
                throw Error("The expression ends too early: expected a value", t);
            default:
                throw Error($"Expected a value but found {t.Describe()}", t);
        }
    }

    private ExprNode ParseCall(Token name)
    {
        Take(); // (
        var args = new List<ExprNode>();
        if (Peek.Kind != TokenKind.RightParen)
        {
            args.Add(ParseOr());
            while (Peek.Kind == TokenKind.Comma) { Take(); args.Add(ParseOr()); }
        }
        Expect(TokenKind.RightParen, $"',' or ')' in the call to {name.Text}");
        return new CallNode(name.Text.ToLowerInvariant(), args, name.Position);
    }

    private void Expect(TokenKind kind, string what)
    {
        if (Peek.Kind != kind) throw Error($"Expected {what} but found {Peek.Describe()}", Peek);
        Take();
    }

    private void Guard(Token at)
    {
        if (++_depth > MaxDepth) throw Error($"The expression nests deeper than {MaxDepth} levels", at);
    }
}
