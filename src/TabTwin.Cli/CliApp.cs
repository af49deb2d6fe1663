using System.CommandLine;
using TabTwin.Cli.Commands;

namespace TabTwin.Cli;

/// <summary>
/// Builds the <c>tabtwin</c> command tree and runs it. Every user-facing failure is a
/// <see cref="TabTwinException"/>: printed as one line (plus a hint) on stderr, no stack trace, exit code 1.
/// </summary>
public static class CliApp
{
    public const int ExitOk = 0, ExitDataError = 1, ExitUsageError = 2, ExitInternalError = 70;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("TabTwin: synthetic tabular data. Learn a real table, sample a new one with the same types, distributions and correlations.");
        root.Add(RunCommand.Build(console));
        root.Add(FitCommand.Build(console));
        root.Add(SampleCommand.Build(console));
        root.Add(InspectCommand.Build(console));
        root.Add(EvaluateCommand.Build(console));
        root.Add(DemoCommand.Build(console));
        root.Add(AugmentCommand.Build(console));
        root.Add(DescribeCommand.Build(console));
        root.Add(GenerateCommand.Build(console));
        root.Add(ValidateCommand.Build(console));
        root.Add(AuditCommand.Build(console));
        root.Add(SiloCommand.Build(console));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine("Run 'tabtwin --help' for usage.");
            return ExitUsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return ReportFailure(e, console);
        }
    }

    /// <summary>Prints an exception the way users should see it and returns the exit code.</summary>
    internal static int ReportFailure(Exception e, CliConsole console)
    {
        switch (e)
        {
            case TabTwinException t:
                console.Error($"error: {Describe(t)}");
                if (!string.IsNullOrEmpty(t.Hint)) console.Error($"hint: {t.Hint}");
                // UsageException, a wrong synthesizer name or option: usage errors (the data is fine), like a wrong flag.
                return t is UsageException || t.Code is "synthesizer.options" or "synthesizer.unknown" ? ExitUsageError : ExitDataError;
            case IOException or UnauthorizedAccessException:
                console.Error($"error: {e.Message}");
                return ExitDataError;
            case OutOfMemoryException:
                // Not a bug in the data or the code: the job is bigger than this machine (or the runtime's array limits).
                console.Error($"error: not enough memory for this job ({e.Message}).");
                console.Error("hint: Use fewer rows or columns, or a machine with more memory.");
                return ExitDataError;
            case OperationCanceledException:
                console.Error("error: cancelled.");
                return ExitDataError;
            default:
                console.Error($"internal error ({e.GetType().Name}): {e.Message}");
                console.Error("This is a bug in TabTwin; set TABTWIN_DEBUG=1 to print the stack trace and report it.");
                if (Environment.GetEnvironmentVariable("TABTWIN_DEBUG") == "1") console.Error(e.ToString());
                return ExitInternalError;
        }
    }

    /// <summary>The message, prefixed with where it happened when the message does not already say so.</summary>
    internal static string Describe(TabTwinException t)
    {
        var where = new List<string>();
        if (t.File is { } f && !t.Message.Contains(f, StringComparison.Ordinal)) where.Add(Clip(f));
        if (t.Row is { } r && !t.Message.Contains($"row {r}", StringComparison.OrdinalIgnoreCase)) where.Add($"row {r}");
        if (t.Column is { } c && !t.Message.Contains($"'{c}'", StringComparison.Ordinal)) where.Add($"column '{Clip(c)}'");
        return where.Count == 0 ? t.Message : $"{string.Join(", ", where)}: {t.Message}";
    }

    /// <summary>A file or column name as the error line quotes it: at most ~200 characters (the name may be user text of any size).</summary>
    private static string Clip(string s) => s.Length <= 200 ? s : $"{s[..120]}…{s[^79..]}";
}

/// <summary>A command line the command cannot carry out as written (a flag it cannot honour): exit code 2, not 1.</summary>
internal sealed class UsageException(string code, string message, string? hint = null) : TabTwinException(code, message, hint: hint);
