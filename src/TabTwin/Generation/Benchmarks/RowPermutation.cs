using TabTwin.Randomness;

namespace TabTwin.Generation.Benchmarks;

/// <summary>
/// A seeded bijection of [0, n) that needs no memory: a balanced Feistel network over the smallest even number of
/// bits covering n, with cycle walking to stay inside the range. It shuffles the rows of a generated data set
/// (row i shows the record that sits at position <see cref="Map"/>(i) of the unshuffled, cluster-ordered layout)
/// without holding a permutation array, so exact per-cluster counts survive streaming of any size.
/// </summary>
internal sealed class RowPermutation
{
    private const int Rounds = 6;
    private readonly long _count;
    private readonly int _halfBits;
    private readonly ulong _halfMask;
    private readonly ulong[] _roundKeys = new ulong[Rounds];

    public RowPermutation(long count, ulong seed)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count));
        _count = count;
        int bits = 2;
        while (bits < 62 && (1L << bits) < count) bits += 2;
        _halfBits = bits / 2;
        _halfMask = (1UL << _halfBits) - 1;
        for (int r = 0; r < Rounds; r++) _roundKeys[r] = SeededRandom.Derive(seed, (ulong)r);
    }

    public long Map(long index)
    {
        if ((ulong)index >= (ulong)_count) throw new ArgumentOutOfRangeException(nameof(index));
        ulong x = (ulong)index;
        // Cycle walking: the network permutes [0, 2^bits); re-applying it until the value falls inside [0, n) gives a
        // permutation of [0, n). The domain is at most 4n, so a few steps suffice on average.
        do x = Encrypt(x); while (x >= (ulong)_count);
        return (long)x;
    }

    private ulong Encrypt(ulong x)
    {
        ulong left = x >> _halfBits, right = x & _halfMask;
        for (int r = 0; r < Rounds; r++)
        {
            ulong next = left ^ (SeededRandom.Hash(right ^ _roundKeys[r]) & _halfMask);
            left = right;
            right = next;
        }
        return (left << _halfBits) | right;
    }
}
