using System.Globalization;
using System.Text;
using TabTwin.Encoding;
using TabTwin.Generation.Spec;
using TabTwin.Randomness;

namespace TabTwin.Generation.Sampling;

/// <summary>
/// Keys by global row number, so every chunk and shard can make its keys alone and the keys still never repeat:
/// a sequence part is start + step·row; random characters come from a hash of (seed, row) when a sequence already
/// makes keys distinct, and otherwise from a seeded pseudo-random permutation of the whole key space (a Feistel
/// network with cycle walking), which is a bijection and so can never repeat. UUIDs are version 4 from a row hash.
/// </summary>
internal sealed class IdSampler
{
    private readonly IdPattern _pattern;
    private readonly ulong _seed;
    private readonly int[] _radices;
    private readonly long _space;
    private readonly bool _permute;

    public IdSampler(Distribution.Id id, ulong seed, long totalRows, string column)
    {
        _pattern = IdTemplate.Parse(id.Format, id.Start, id.Step);
        _seed = seed;
        _radices = _pattern.Segments.OfType<RandomSegment>().SelectMany(r => Enumerable.Repeat(r.Alphabet.Length, r.Length)).ToArray();
        _permute = !_pattern.HasSequence && !_pattern.HasUuid;
        if (_permute)
        {
            double space = _pattern.RandomSpace();
            if (space < totalRows)
                throw new SpecException("id.space-too-small",
                    $"column '{column}': the ID format '{id.Format}' can make only {space:N0} distinct keys, but {totalRows:N0} rows were asked for.",
                    column: column, field: "format", hint: "Add characters to the format or a {000000} sequence part.");
            _space = space > 4e18 ? 0 : (long)Math.Round(space); // 0 = too big to permute: draw freely (repeats ~impossible)
        }
    }

    public string Key(long row)
    {
        var sb = new StringBuilder(32);
        int[]? digits = null;
        if (_permute && _space > 0) digits = Decompose(FeistelPermutation.Permute((ulong)row, (ulong)_space, _seed));
        ulong bits = SeededRandom.Hash(_seed ^ ((ulong)row * 0x9E3779B97F4A7C15UL));
        int p = 0, drawn = 0;
        foreach (var s in _pattern.Segments)
        {
            switch (s)
            {
                case LiteralSegment l: sb.Append(l.Text); break;
                case SequenceSegment q:
                    long v = q.Start + q.Step * row;
                    if (v < 0) sb.Append('-');
                    sb.Append(Math.Abs(v).ToString(CultureInfo.InvariantCulture).PadLeft(q.Width, '0'));
                    break;
                case RandomSegment r:
                    var alphabet = r.Alphabet;
                    for (int k = 0; k < r.Length; k++)
                    {
                        if (digits is not null) { sb.Append(alphabet[digits[p++]]); continue; }
                        bits = SeededRandom.Hash(bits + (ulong)drawn++);
                        sb.Append(alphabet[(int)((bits >> 32) * (ulong)alphabet.Length >> 32)]);
                    }
                    break;
                case UuidSegment u:
                    var g = UuidSampler.FromHash(SeededRandom.Hash(bits + 101), SeededRandom.Hash(bits + 202)).ToString(u.Format.ToString());
                    sb.Append(u.Upper ? g.ToUpperInvariant() : g);
                    break;
            }
        }
        return sb.ToString();
    }

    private int[] Decompose(ulong index)
    {
        var digits = new int[_radices.Length];
        for (int k = _radices.Length - 1; k >= 0; k--) { digits[k] = (int)(index % (ulong)_radices[k]); index /= (ulong)_radices[k]; }
        return digits;
    }
}

/// <summary>Random version-4 UUIDs from a per-row hash (seeded; 122 random bits).</summary>
internal static class UuidSampler
{
    public static Guid FromHash(ulong a, ulong b)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, a);
        BitConverter.TryWriteBytes(bytes[8..], b);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }

    public static string Key(ulong seed, long row, bool upper)
    {
        ulong h = SeededRandom.Hash(seed ^ ((ulong)row * 0x9E3779B97F4A7C15UL));
        var g = FromHash(SeededRandom.Hash(h + 1), SeededRandom.Hash(h + 2)).ToString("D");
        return upper ? g.ToUpperInvariant() : g;
    }
}
