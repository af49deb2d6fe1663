namespace TabTwin.Expressions;

public enum UnaryOperator { Negate, Not }

public enum BinaryOperator
{
    Add, Subtract, Multiply, Divide, Modulo,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    And, Or,
}

/// <summary>
/// A node of the immutable syntax tree. <see cref="Position"/> is the 0-based offset of the node's first
/// character in the source text (used to point at errors). Printing (<see cref="ExpressionPrinter"/>) gives
/// canonical text that parses back to the same tree.
/// </summary>
public abstract record ExprNode(int Position)
{
    /// <summary>The direct sub-expressions, left to right.</summary>
    public abstract IReadOnlyList<ExprNode> Children { get; }
    public sealed override string ToString() => ExpressionPrinter.Print(this);
}

/// <summary>A constant: <see cref="double"/>, <see cref="string"/>, <see cref="bool"/> or null (missing).</summary>
public sealed record LiteralNode(object? Value, int Position) : ExprNode(Position)
{
    public override IReadOnlyList<ExprNode> Children => [];
}

/// <summary>A reference to a column by name (written bare or in [brackets]).</summary>
public sealed record ColumnNode(string Name, int Position) : ExprNode(Position)
{
    public override IReadOnlyList<ExprNode> Children => [];
}

public sealed record UnaryNode(UnaryOperator Operator, ExprNode Operand, int Position) : ExprNode(Position)
{
    public override IReadOnlyList<ExprNode> Children => [Operand];
}

public sealed record BinaryNode(BinaryOperator Operator, ExprNode Left, ExprNode Right, int Position, int OperatorPosition)
    : ExprNode(Position)
{
    public override IReadOnlyList<ExprNode> Children => [Left, Right];
}

/// <summary><c>value in (a, b, c)</c>, or <c>value not in (...)</c> when <see cref="Negated"/>.</summary>
public sealed record InNode(ExprNode Value, IReadOnlyList<ExprNode> Items, bool Negated, int Position) : ExprNode(Position)
{
    public override IReadOnlyList<ExprNode> Children => [Value, .. Items];
}

/// <summary><c>value between low and high</c> (both ends included), or <c>not between</c>.</summary>
public sealed record BetweenNode(ExprNode Value, ExprNode Low, ExprNode High, bool Negated, int Position) : ExprNode(Position)
{
    public override IReadOnlyList<ExprNode> Children => [Value, Low, High];
}

/// <summary>A function call such as <c>round(x, 2)</c>; <see cref="Name"/> is lower-case.</summary>
public sealed record CallNode(string Name, IReadOnlyList<ExprNode> Arguments, int Position) : ExprNode(Position)
{
    public override IReadOnlyList<ExprNode> Children => Arguments;
}
