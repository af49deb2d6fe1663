using System.Diagnostics;

namespace TabTwin.Neural;

/// <summary>A unit of block-parallel work: <see cref="RunBlock"/> is called once for every block 0..count-1, on any thread.</summary>
internal interface IBlockJob
{
    void RunBlock(int block);
}

/// <summary>
/// A tiny fork-join pool with dedicated worker threads, so the training loop runs parallel loops without
/// allocating (Parallel.For allocates per call). Blocks are handed out dynamically, but every block's result
/// depends only on the block, never on which thread ran it: results are identical for any thread count.
/// <para>
/// Why it spins: a training step issues thousands of parallel loops per second, each a few tens of microseconds
/// long, so waking a sleeping thread through a semaphore for every one costs more than the work. Workers spin on
/// a generation counter for a short while after each job and only then fall asleep; the caller spins for the
/// stragglers' completion. Sleeping workers are woken through a semaphore.
/// </para>
/// Not re-entrant: one <see cref="Run"/> at a time per runner. Dispose to stop the workers.
/// </summary>
internal sealed class ParallelRunner : IDisposable
{
    /// <summary>How long an idle worker spins for the next job before sleeping.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000;   // 1 ms

    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _wake = new(0);
    private IBlockJob? _job;
    private int _blockCount;
    private int _nextBlock;
    private int _lastGeneration;
    /// <summary>The generation workers may join (0 = none): the job's fields never change while it is open or joined.</summary>
    private int _open;
    /// <summary>Workers inside the current job.</summary>
    private int _active;
    private int _sleepers;
    private volatile bool _stopping;
    private Exception? _error;

    /// <param name="threads">Total threads including the caller's (1 = run inline, no workers).</param>
    public ParallelRunner(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
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
        _job = job;
        _blockCount = blockCount;
        _nextBlock = 0;
        _error = null;
        int generation = _lastGeneration = _lastGeneration == int.MaxValue ? 1 : _lastGeneration + 1;
        Interlocked.Exchange(ref _open, generation);         // full fence: the job is visible before it opens
        if (Volatile.Read(ref _sleepers) > 0)
        {
            int sleepers = Interlocked.Exchange(ref _sleepers, 0);
            if (sleepers > 0) _wake.Release(sleepers);
        }
        Work();
        // Close the job, then wait only for workers that joined it (a worker still asleep is not waited for).
        Interlocked.Exchange(ref _open, 0);
        var spin = new SpinWait();
        while (Volatile.Read(ref _active) > 0) spin.SpinOnce(sleep1Threshold: -1);
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
        int seen = 0;
        while (true)
        {
            int generation = WaitForJob(seen);
            if (_stopping) return;
            // Join, then check the job is still open: the caller closes before it waits for _active to drain (both
            // with full fences), so either it waits for us or we see the job closed and stay out.
            Interlocked.Increment(ref _active);
            if (Volatile.Read(ref _open) == generation) Work();
            seen = generation;
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Spins, then sleeps, until a job other than <paramref name="seen"/> is open; returns its generation.</summary>
    private int WaitForJob(int seen)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            int g = Volatile.Read(ref _open);
            if ((g != 0 && g != seen) || _stopping) return g;
            if (Stopwatch.GetTimestamp() - start < SpinTicks) { Thread.SpinWait(20); continue; }
            // Announce the sleep, then re-check: the caller opens a job before it reads the sleepers (both with full
            // fences), so either it sees us and releases the semaphore or we see its job. A spare permit only causes
            // one extra pass of this loop.
            Interlocked.Increment(ref _sleepers);
            g = Volatile.Read(ref _open);
            if ((g != 0 && g != seen) || _stopping) return g;
            _wake.Wait();
            start = Stopwatch.GetTimestamp();
        }
    }

    public void Dispose()
    {
        if (_stopping || _workers.Length == 0) return;
        _stopping = true;
        _wake.Release(_workers.Length);
        foreach (var w in _workers) w.Join();
        _wake.Dispose();
    }
}
