using TabTwin.Randomness;

namespace TabTwin.Generation.Benchmarks;

/// <summary>
/// A counter-based random stream for one row: the k-th draw is a hash of (row seed, k), so any row can be produced on
/// its own, in any chunk and on any thread, and comes out identical. This is what makes the benchmark generators
/// stream and parallelise without their output depending on chunk size or thread count. (SplitMix64 over a counter is
/// itself a well-tested generator; <see cref="SeededRandom.Hash"/> is its output function.)
/// </summary>
internal struct RowStream
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state;
    private double _spareGaussian;
    private bool _hasSpare;

    public RowStream(ulong seed, ulong salt, long row)
    {
        _state = SeededRandom.Derive(seed, salt, (ulong)row);
        _spareGaussian = 0;
        _hasSpare = false;
    }

    public ulong NextUInt64()
    {
        _state += Golden;
        return SeededRandom.Hash(_state);
    }

    /// <summary>Uniform in (0, 1).</summary>
    public double NextOpenUnit() => SeededRandom.ToOpenUnit(NextUInt64());

    /// <summary>Uniform integer in [0, count); the tiny modulo bias of a 64-bit draw is far below anything measurable here.</summary>
    public int NextInt(int count) => (int)(((UInt128)NextUInt64() * (ulong)count) >> 64);

    /// <summary>Standard normal; Box–Muller in pairs (both the cosine and sine halves are used).</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spareGaussian; }
        double radius = Math.Sqrt(-2.0 * Math.Log(NextOpenUnit()));
        double angle = 2.0 * Math.PI * NextOpenUnit();
        var (sin, cos) = Math.SinCos(angle);
        _spareGaussian = radius * sin;
        _hasSpare = true;
        return radius * cos;
    }
}
