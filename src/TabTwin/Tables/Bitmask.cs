using System.Numerics;

namespace TabTwin.Tables;

/// <summary>
/// A fixed-length, immutable set of row flags (one bit per row): used as the missing-value mask of
/// every column. 1 M rows cost 125 KB.
/// </summary>
public sealed class Bitmask
{
    private readonly ulong[] _words;

    internal Bitmask(ulong[] words, int length)
    {
        _words = words;
        Length = length;
        Count = CountBits(words);
    }

    /// <summary>An all-clear mask.</summary>
    public static Bitmask Empty(int length) => new(new ulong[(length + 63) >> 6], length);

    public static Bitmask FromBools(ReadOnlySpan<bool> flags)
    {
        var b = new Builder(flags.Length);
        for (int i = 0; i < flags.Length; i++) if (flags[i]) b.Set(i);
        return b.Build();
    }

    public int Length { get; }
    /// <summary>Number of set bits.</summary>
    public int Count { get; }
    public bool Any => Count > 0;

    public bool this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(index));
            return (_words[index >> 6] & (1UL << (index & 63))) != 0;
        }
    }

    public Bitmask Take(ReadOnlySpan<int> rows)
    {
        var b = new Builder(rows.Length);
        for (int i = 0; i < rows.Length; i++) if (this[rows[i]]) b.Set(i);
        return b.Build();
    }

    public bool[] ToBools()
    {
        var r = new bool[Length];
        for (int i = 0; i < Length; i++) r[i] = this[i];
        return r;
    }

    internal ReadOnlySpan<ulong> Words => _words;

    private static int CountBits(ulong[] words)
    {
        int c = 0;
        foreach (var w in words) c += BitOperations.PopCount(w);
        return c;
    }

    /// <summary>Mutable builder; <see cref="Build"/> freezes it.</summary>
    public sealed class Builder
    {
        private ulong[] _words;
        private int _length;

        public Builder(int capacity = 0) { _words = new ulong[Math.Max(1, (capacity + 63) >> 6)]; _length = capacity; }

        public int Length => _length;

        public void Set(int index, bool value = true)
        {
            EnsureLength(index + 1);
            if (value) _words[index >> 6] |= 1UL << (index & 63);
            else _words[index >> 6] &= ~(1UL << (index & 63));
        }

        public void EnsureLength(int length)
        {
            if (length <= _length) return;
            int needed = (length + 63) >> 6;
            if (needed > _words.Length) Array.Resize(ref _words, Math.Max(needed, _words.Length * 2));
            _length = length;
        }

        public Bitmask Build()
        {
            var words = new ulong[(_length + 63) >> 6];
            Array.Copy(_words, words, words.Length);
            // Clear bits past the end so Count is exact.
            int tail = _length & 63;
            if (tail != 0 && words.Length > 0) words[^1] &= (1UL << tail) - 1;
            return new Bitmask(words, _length);
        }
    }
}
