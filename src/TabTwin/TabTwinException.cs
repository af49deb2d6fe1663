namespace TabTwin;

/// <summary>
/// The one root of every error TabTwin raises about user data, files and models.
/// Carries structured fields so callers (and the CLI) can branch on <see cref="Code"/> and show
/// where the problem is without parsing the message text. Programmer mistakes (null arguments,
/// negative row counts) use <see cref="ArgumentException"/> instead.
/// </summary>
public class TabTwinException : Exception
{
    public TabTwinException(string code, string message, string? column = null, long? row = null,
        string? file = null, string? hint = null, Exception? inner = null)
        : base(Bounded(message), inner)
    {
        Code = code;
        Column = column;
        Row = row;
        File = file;
        Hint = hint is null ? null : Bounded(hint);   // hints quote names too ("did you mean …")
    }

    /// <summary>Longest message kept: user text quoted in a message (a huge literal, a long line) is cut in the middle.</summary>
    public const int MaxMessageLength = 1000;

    private static string Bounded(string message)
    {
        if (message.Length <= MaxMessageLength) return message;
        int head = MaxMessageLength * 7 / 10, tail = MaxMessageLength / 5;
        return $"{message[..head]} … ({message.Length - head - tail:N0} characters left out) … {message[^tail..]}";
    }

    /// <summary>User text (a condition, a column name) as a message quotes it: at most ~200 characters, cut in the middle.</summary>
    internal static string Clip(string text) => text.Length <= 200 ? text : $"{text[..120]}…{text[^79..]}";

    /// <summary>A stable machine-readable code such as <c>csv.ragged-row</c>.</summary>
    public string Code { get; }
    /// <summary>The column concerned, when there is one.</summary>
    public string? Column { get; }
    /// <summary>The 1-based data row concerned (header excluded), when there is one.</summary>
    public long? Row { get; }
    /// <summary>The file or data source concerned, when there is one.</summary>
    public string? File { get; }
    /// <summary>What the user can do about it.</summary>
    public string? Hint { get; }
}

/// <summary>A problem with the schema/metadata or with data that does not fit it.</summary>
public sealed class SchemaException : TabTwinException
{
    public SchemaException(string code, string message, string? column = null, long? row = null,
        string? file = null, string? hint = null, Exception? inner = null)
        : base(code, message, column, row, file, hint, inner) { }
}

/// <summary>A model file that is damaged, tampered with, too large or from an unsupported version.</summary>
public sealed class ModelFileException : TabTwinException
{
    public ModelFileException(string code, string message, string? file = null, string? hint = null, Exception? inner = null)
        : base(code, message, file: file, hint: hint, inner: inner) { }
}

/// <summary>A data source that cannot be read or written (file, database, format).</summary>
public sealed class DataSourceException : TabTwinException
{
    public DataSourceException(string code, string message, string? column = null, long? row = null,
        string? file = null, string? hint = null, Exception? inner = null)
        : base(code, message, column, row, file, hint, inner) { }
}
