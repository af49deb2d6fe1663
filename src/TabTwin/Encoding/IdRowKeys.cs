using System.Globalization;
using System.Text;
using TabTwin.Randomness;
using TabTwin.Tables;

namespace TabTwin.Encoding;

/// <summary>
/// Keys of an <see cref="IdFormat"/> as a function of the global row number of a run of <c>totalRows</c> rows, so
/// chunks and part files made apart (other threads, processes, machines) still never repeat a key — unlike
/// <see cref="IdFormat.Generate"/>, whose keys are distinct only within one call. A sequence part is start + step·row;
/// random characters come from a keyed pseudo-random permutation of the key space (<see cref="FeistelPermutation"/>,
/// a bijection, so distinct rows get distinct keys) when nothing else makes keys distinct, else from a hash of
/// (seed, row); UUIDs come from a row hash (122 random bits).
/// <para>A space wider than 2^62 is split: its last characters (a sub-space of at least 2^62 / 62 keys, far more than any
/// run's rows) are permuted, the leading ones hashed, so keys stay distinct without biasing any character.</para>
/// </summary>
internal sealed class IdRowKeys
{
    private const ulong MaxPermuted = 1UL << 62;
    private readonly string _column;
    private readonly ulong _seed;
    private readonly long _totalRows;
    private readonly bool _numeric;
    private readonly Shape[] _shapes;
    /// <summary>Cumulative weights of the shapes when a row picks its shape by weight; null = by space (see constructor).</summary>
    private readonly long[]? _weights;
    /// <summary>When shapes are chosen by space: each shape's first index in the joint space, and the joint space.</summary>
    private readonly ulong[] _offsets;
    private readonly ulong _jointSpace;

    /// <summary>One key shape: its segments, the random characters' alphabet sizes and how many trailing ones are permuted.</summary>
    private sealed record Shape(IdPattern Pattern, int[] Radices, int HashedDigits, ulong PermutedSpace, bool Permute);

    /// <exception cref="TabTwinException"><c>id.space-too-small</c> when the format cannot make <paramref name="totalRows"/> distinct
    /// keys; <c>id.out-of-range</c> when a numeric sequence leaves the exactly representable integers.</exception>
    public IdRowKeys(IdFormat format, string column, long totalRows, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentOutOfRangeException.ThrowIfNegative(totalRows);
        _column = column;
        _seed = seed;
        _totalRows = totalRows;
        var pattern = IdPattern.Parse(format.Pattern);
        _numeric = pattern.Numeric;
        double space = pattern.RandomSpace();
        if (space < totalRows)
            throw new TabTwinException("id.space-too-small",
                $"Column '{column}': ID pattern '{format.Pattern}' can make only {space:N0} distinct keys, but {totalRows:N0} were asked for.",
                column: column,
                hint: "Give the column a wider pattern in the metadata (more characters, or a {seq:…} part), or declare it categorical.");
        if (pattern.Numeric && pattern.Segments[0] is SequenceSegment q)
        {
            const double exactLimit = 9007199254740992d; // 2^53
            double last = q.Start + (double)q.Step * Math.Max(0, totalRows - 1);
            if (Math.Abs(q.Start) > exactLimit || Math.Abs(last) > exactLimit)
                throw new TabTwinException("id.out-of-range",
                    $"Column '{column}': {totalRows:N0} keys from {q.Start} in steps of {q.Step} go beyond ±2^53, which numbers cannot hold exactly.",
                    column: column, hint: "Store this key as text, or use a smaller start/step in the metadata format.");
        }
        var alternatives = pattern.Alternatives ?? [(1, pattern)];
        _shapes = alternatives.Select(a => ShapeOf(a.Pattern)).ToArray();
        _offsets = new ulong[_shapes.Length];
        // Picking a shape by its learned weight keeps the mix of shapes, and keeps keys distinct as long as every
        // shape alone can hold a key per row (its permutation is then injective on rows). Otherwise a row's shape is
        // where a permutation of the joint space lands, which spreads rows over shapes by space but never repeats.
        if (_shapes.All(s => !s.Permute || s.PermutedSpace >= (ulong)totalRows))
        {
            _weights = new long[alternatives.Count];
            long sum = 0;
            for (int i = 0; i < alternatives.Count; i++) _weights[i] = sum += alternatives[i].Weight;
        }
        else
        {
            ulong joint = 0;
            for (int i = 0; i < _shapes.Length; i++) { _offsets[i] = joint; joint += Math.Min(_shapes[i].PermutedSpace, MaxPermuted / (ulong)_shapes.Length); }
            _jointSpace = joint;
        }
    }

    private static Shape ShapeOf(IdPattern pattern)
    {
        var radices = pattern.Segments.OfType<RandomSegment>().SelectMany(r => Enumerable.Repeat(r.Alphabet.Length, r.Length)).ToArray();
        bool permute = !pattern.HasSequence && !pattern.HasUuid;
        if (pattern.Numeric && pattern.Segments[0] is RandomSegment digits)
            return new Shape(pattern, radices, 0, digits.Length == 1 ? 9 : 9 * (ulong)Math.Pow(10, digits.Length - 1), permute);
        // The longest run of trailing characters whose joint space fits in 2^62 is permuted; the rest are hashed.
        ulong space = 1;
        int first = radices.Length;
        while (first > 0 && space <= MaxPermuted / (ulong)radices[first - 1]) space *= (ulong)radices[--first];
        return new Shape(pattern, radices, first, space, permute);
    }

    /// <summary>The keys of rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="count"/>), as a numeric or text column.</summary>
    public Column Generate(long firstRow, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        // Past the run's rows the permutation is no longer injective: keys could repeat.
        if (firstRow + count > _totalRows) throw new ArgumentOutOfRangeException(nameof(count), $"Rows up to {firstRow + count} asked of a run of {_totalRows}.");
        if (_numeric)
        {
            var values = new double[count];
            for (int i = 0; i < count; i++) values[i] = NumericKey(firstRow + i);
            return new NumericColumn(_column, values, isInteger: true);
        }
        var keys = new string?[count];
        var sb = new StringBuilder(32);
        for (int i = 0; i < count; i++) keys[i] = TextKey(firstRow + i, sb);
        return new TextColumn(_column, keys);
    }

    private double NumericKey(long row)
    {
        var shape = _shapes[0];
        if (shape.Pattern.Segments[0] is SequenceSegment q) return q.Start + (double)q.Step * row;
        int digits = ((RandomSegment)shape.Pattern.Segments[0]).Length;
        double low = digits == 1 ? 1 : Math.Pow(10, digits - 1);
        return low + FeistelPermutation.Permute((ulong)row, shape.PermutedSpace, SeededRandom.Derive(_seed, 0));
    }

    private string TextKey(long row, StringBuilder sb)
    {
        ulong bits = SeededRandom.Hash(_seed ^ ((ulong)row * 0x9E3779B97F4A7C15UL));
        int s;
        ulong index = 0;
        if (_weights is not null)
        {
            s = 0;
            if (_weights.Length > 1)
            {
                ulong pick = SeededRandom.Hash(bits ^ 0x5851F42D4C957F2DUL) % (ulong)_weights[^1];
                while ((long)pick >= _weights[s]) s++;
            }
            if (_shapes[s].Permute) index = FeistelPermutation.Permute((ulong)row, _shapes[s].PermutedSpace, SeededRandom.Derive(_seed, (ulong)s));
        }
        else
        {
            ulong joint = FeistelPermutation.Permute((ulong)row, _jointSpace, SeededRandom.Derive(_seed, ulong.MaxValue));
            s = Array.FindLastIndex(_offsets, o => o <= joint);
            index = joint - _offsets[s];
        }
        return Render(_shapes[s], row, index, bits, sb);
    }

    private static string Render(Shape shape, long row, ulong index, ulong bits, StringBuilder sb)
    {
        sb.Clear();
        int[]? permuted = shape.Permute ? Decompose(shape, index) : null;
        int p = 0, drawn = 0;
        foreach (var segment in shape.Pattern.Segments)
        {
            switch (segment)
            {
                case LiteralSegment l: sb.Append(l.Text); break;
                case SequenceSegment q:
                    long v = q.Start + q.Step * row;
                    if (v < 0) sb.Append('-');
                    sb.Append(Math.Abs(v).ToString(CultureInfo.InvariantCulture).PadLeft(q.Width, '0'));
                    break;
                case RandomSegment r:
                    var alphabet = r.Alphabet;
                    for (int k = 0; k < r.Length; k++, p++)
                    {
                        if (permuted is not null && p >= shape.HashedDigits) { sb.Append(alphabet[permuted[p - shape.HashedDigits]]); continue; }
                        bits = SeededRandom.Hash(bits + (ulong)drawn++);
                        sb.Append(alphabet[(int)((bits >> 32) * (ulong)alphabet.Length >> 32)]);
                    }
                    break;
                case UuidSegment u:
                    var g = Uuid(SeededRandom.Hash(bits + 101), SeededRandom.Hash(bits + 202)).ToString(u.Format.ToString());
                    sb.Append(u.Upper ? g.ToUpperInvariant() : g);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>The permuted index as alphabet positions of the trailing characters (mixed radix, last character fastest).</summary>
    private static int[] Decompose(Shape shape, ulong index)
    {
        var digits = new int[shape.Radices.Length - shape.HashedDigits];
        for (int k = digits.Length - 1; k >= 0; k--)
        {
            ulong radix = (ulong)shape.Radices[shape.HashedDigits + k];
            digits[k] = (int)(index % radix);
            index /= radix;
        }
        return digits;
    }

    private static Guid Uuid(ulong a, ulong b)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, a);
        BitConverter.TryWriteBytes(bytes[8..], b);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }
}
