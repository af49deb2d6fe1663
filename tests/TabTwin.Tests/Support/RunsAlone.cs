namespace TabTwin.Tests.Support;

/// <summary>
/// Tests that read or change process-wide state (the current directory, the process's total allocation counter) run
/// in this collection: xunit runs it while no other test runs, so nothing else moves what they measure or change.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Runs alone (process-wide state)";
}
