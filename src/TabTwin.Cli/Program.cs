namespace TabTwin.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // Ctrl+C or a SIGTERM mid-write removes the half-written temporary files before the process ends.
        using var cleanup = TabTwin.IO.OutputCleanup.HandleTerminationSignals();
        return CliApp.Run(args, Console.Out, Console.Error);
    }
}
