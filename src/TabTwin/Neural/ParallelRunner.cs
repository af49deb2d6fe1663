namespace TabTwin.Neural;

/// <summary>A unit of block-parallel work: <see cref="RunBlock"/> is called once for every block 0..count-1, on any thread.</summary>
public interface IBlockJob
{
    void RunBlock(int block);
}

/// <summary>
/// A tiny fork-join pool with dedicated worker threads, so the training loop runs parallel loops without
/// allocating (Parallel.For allocates per call). Blocks are handed out dynamically, but every block's result
/// depends only on the block, never on which thread ran it: results are identical for any thread count.
/// Not re-entrant: one <see cref="Run"/> at a time per runner. Dispose to stop the workers.
/// </summary>
public sealed class ParallelRunner : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _start;
    private readonly CountdownEvent _finished;
    private IBlockJob? _job;
    private int _blockCount;
    private int _nextBlock;
    private volatile bool _stopping;
    private Exception? _error;

    /// <param name="threads">Total threads including the caller's (1 = run inline, no workers).</param>
    public ParallelRunner(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _start = new SemaphoreSlim(0);
        _finished = new CountdownEvent(1);
        _workers = new Thread[threads - 1];
        for (int t = 0; t < _workers.Length; t++)
        {
            _workers[t] = new Thread(WorkerLoop) { IsBackground = true, Name = $"tabtwin-neural-{t + 1}" };
            _workers[t].Start();
        }
    }

    /// <summary>A single-threaded runner (no workers), for tiny nets and tests.</summary>
    public static ParallelRunner Inline { get; } = new(1);

    /// <summary>Threads for <c>maxThreads</c> (null = all cores).</summary>
    public static int ThreadsFor(int? maxThreads) => Math.Max(1, Math.Min(maxThreads ?? Environment.ProcessorCount, Environment.ProcessorCount));

    public int Threads { get; }

    /// <summary>Runs every block of <paramref name="job"/> and returns when all are done; the caller's thread works too.</summary>
    public void Run(IBlockJob job, int blockCount)
    {
        if (blockCount <= 0) return;
        if (_workers.Length == 0 || blockCount == 1)
        {
            for (int b = 0; b < blockCount; b++) job.RunBlock(b);
            return;
        }
        int helpers = Math.Min(_workers.Length, blockCount - 1);
        _job = job;
        _blockCount = blockCount;
        _nextBlock = 0;
        _error = null;
        _finished.Reset(helpers);
        _start.Release(helpers);
        Work();
        _finished.Wait();
        _job = null;
        if (_error is { } e) throw new AggregateException("A parallel block failed.", e);
    }

    private void Work()
    {
        var job = _job!;
        int b;
        while ((b = Interlocked.Increment(ref _nextBlock) - 1) < _blockCount)
        {
            try { job.RunBlock(b); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _start.Wait();
            if (_stopping) return;
            Work();
            _finished.Signal();
        }
    }

    public void Dispose()
    {
        if (_stopping || _workers.Length == 0) return;
        _stopping = true;
        _start.Release(_workers.Length);
        foreach (var w in _workers) w.Join();
        _start.Dispose();
        _finished.Dispose();
    }
}
