using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using TabTwin.IO;
using TabTwin.Tables;

namespace TabTwin.Generation.Related;

/// <summary>
/// Writes on its own thread, in the order given, so the next chunks are generated while the last ones are written
/// (a file or database writer is single-threaded). At most <see cref="Capacity"/> chunks wait, so memory stays bounded;
/// a writer error is rethrown to the generating thread at its next call.
/// </summary>
internal sealed class BackgroundSink : IRelationalSink
{
    public const int Capacity = 4;

    private readonly IRelationalSink _inner;
    private readonly BlockingCollection<(string Table, Table Chunk)> _queue = new(Capacity);
    private readonly Thread _writer;
    private ExceptionDispatchInfo? _error;
    private bool _closed;

    public BackgroundSink(IRelationalSink inner)
    {
        _inner = inner;
        _writer = new Thread(WriteAll) { IsBackground = true, Name = "tabtwin related writer" };
        _writer.Start();
    }

    public void Write(string table, Table chunk)
    {
        _error?.Throw();
        try { _queue.Add((table, chunk)); }
        catch (InvalidOperationException) { _error?.Throw(); throw; } // the writer stopped adding: it failed
    }

    public void Complete()
    {
        Drain();
        _error?.Throw();
        _inner.Complete();
    }

    private void WriteAll()
    {
        try
        {
            foreach (var (table, chunk) in _queue.GetConsumingEnumerable()) _inner.Write(table, chunk);
        }
        catch (Exception e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
            _queue.CompleteAdding();
            while (_queue.TryTake(out _)) { } // unblock a producer waiting for room
        }
    }

    /// <summary>Lets the writer finish what is queued and stop.</summary>
    private void Drain()
    {
        if (_closed) return;
        _closed = true;
        if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
        _writer.Join();
    }

    public void Dispose()
    {
        Drain();
        _inner.Dispose();
        _queue.Dispose();
    }
}
