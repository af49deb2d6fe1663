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

    /// <summary>Characters of the expression quoted around the fault (a 1 MB literal must not become a 1 MB message).</summary>
    internal const int QuoteWindow = 200;

    /// <summary>
    /// "message (at position N):\n  text\n  ^" with the caret under the offending character; at most
    /// <see cref="QuoteWindow"/> characters around it are quoted, cut ends marked with "…".
    /// </summary>
    internal static string WithCaret(string message, string text, int position)
    {
        position = Math.Clamp(position, 0, text.Length);
        int start = Math.Max(0, Math.Min(position - QuoteWindow / 2, text.Length - QuoteWindow));
        int end = Math.Min(text.Length, start + QuoteWindow);
        // Keep the caret aligned: show the window holding the position with tabs/newlines flattened to spaces.
        var flat = text[start..end].Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
        string before = start > 0 ? "…" : "", after = end < text.Length ? "…" : "";
        return $"{message} (at position {position + 1}):{Environment.NewLine}  {before}{flat}{after}{Environment.NewLine}  {new string(' ', before.Length + position - start)}^";
    }
}
