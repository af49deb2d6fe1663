using Spectre.Console;
using TabTwin.Synthesizers;

namespace TabTwin.Cli;

/// <summary>
/// Where the CLI writes: results on stdout, progress and messages on stderr. Progress bars use
/// Spectre.Console on stderr and are silenced by <c>--quiet</c> (and skipped when stderr is redirected,
/// where bars would only add noise to logs).
/// </summary>
public sealed class CliConsole
{
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public CliConsole(TextWriter stdout, TextWriter stderr)
    {
        _stdout = stdout;
        _stderr = stderr;
    }

    public bool Quiet { get; set; }

    public void Out(string line) => _stdout.WriteLine(line);
    public void Error(string line) => _stderr.WriteLine(line);

    /// <summary>A status line on stderr (suppressed by --quiet).</summary>
    public void Info(string line)
    {
        if (!Quiet) _stderr.WriteLine(line);
    }

    /// <summary>Runs one long step, showing a progress bar labelled <paramref name="label"/> on stderr unless quiet.</summary>
    public T Step<T>(string label, Func<IProgress<StepProgress>?, T> work)
    {
        if (Quiet) return work(null);
        bool interactive = ReferenceEquals(_stderr, Console.Error) && !Console.IsErrorRedirected;
        if (!interactive)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var result = work(null);
            _stderr.WriteLine($"{label} ... done in {sw.Elapsed.TotalSeconds:0.00} s");
            return result;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T value = default!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: 1.0);
                var progress = new SynchronousProgress(p =>
                {
                    task.Value = Math.Clamp(p.Fraction, 0, 1);
                    if (!string.IsNullOrEmpty(p.Step)) task.Description = $"{label}: {p.Step}";
                });
                value = work(progress);
                task.Description = label;
                task.Value = 1.0;
            });
        return value;
    }

    public void Step(string label, Action<IProgress<StepProgress>?> work) => Step<int>(label, p => { work(p); return 0; });

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to a thread pool and arrive late).</summary>
    private sealed class SynchronousProgress(Action<StepProgress> report) : IProgress<StepProgress>
    {
        public void Report(StepProgress value) => report(value);
    }
}
