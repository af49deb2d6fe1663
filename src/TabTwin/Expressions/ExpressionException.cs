namespace TabTwin.Expressions;

/// <summary>
/// A problem with an expression: its syntax (<c>expr.syntax</c>), a column it names that does not exist
/// (<c>expr.unknown-column</c>) or operands of the wrong type (<c>expr.type</c>). <see cref="Position"/> is the
/// 0-based character offset in <see cref="Text"/>; the message ends with the text and a caret under that position.
/// </summary>
public sealed class ExpressionException : TabTwinException
{
    public ExpressionException(string code, string message, string text, int position, string? column = null, string? hint = null)
        : base(code, WithCaret(message, text, position), column: column, hint: hint)
    {
        Text = text;
        Position = position;
    }

    /// <summary>The whole expression text.</summary>
    public string Text { get; }
    /// <summary>0-based character offset of the problem.</summary>
    public int Position { get; }

    /// <summary>"message (at position N):\n  text\n  ^" with the caret under the offending character.</summary>
    internal static string WithCaret(string message, string text, int position)
    {
        position = Math.Clamp(position, 0, text.Length);
        // Keep the caret aligned: show the line holding the position with tabs/newlines flattened to spaces.
        var flat = text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
        return $"{message} (at position {position + 1}):{Environment.NewLine}  {flat}{Environment.NewLine}  {new string(' ', position)}^";
    }
}
