using TabTwin.Tables;

namespace TabTwin.Generation.Related;

/// <summary>
/// The parent rows whose children are not generated yet, in order, each with its number of children: parent chunks
/// come in as they are written and leave as soon as their children are made, so the queue holds about one child
/// chunk's worth of parents whatever the table sizes.
/// </summary>
internal sealed class ParentQueue
{
    private readonly Queue<Segment> _segments = new();

    /// <summary>Child rows the queued parents still have to get.</summary>
    public long Rows { get; private set; }

    /// <summary>Queues parents: <paramref name="info"/> holds what children read of them (key, after-columns), one row per count.</summary>
    public void Add(Table info, int[] counts)
    {
        long sum = 0;
        foreach (int c in counts) sum += c;
        if (sum == 0) return;
        _segments.Enqueue(new Segment(info, counts) { Left = sum });
        Rows += sum;
    }

    /// <summary>The parent row of each of the next <paramref name="rows"/> child rows (parent 0's children first, then parent 1's, …).</summary>
    public Table Take(int rows)
    {
        if (rows <= 0 || rows > Rows) throw new ArgumentOutOfRangeException(nameof(rows));
        var parts = new List<Table>();
        int left = rows;
        while (left > 0)
        {
            var s = _segments.Peek();
            var parentOfChild = new int[(int)Math.Min(left, s.Left)];
            int n = 0;
            while (n < parentOfChild.Length)
            {
                int give = Math.Min(parentOfChild.Length - n, s.Counts[s.Parent] - s.Used);
                Array.Fill(parentOfChild, s.Parent, n, give);
                n += give;
                s.Used += give;
                if (s.Used == s.Counts[s.Parent]) { s.Parent++; s.Used = 0; }
            }
            left -= n;
            s.Left -= n;
            parts.Add(s.Info.Take(parentOfChild));
            if (s.Left == 0) _segments.Dequeue();
        }
        Rows -= rows;
        return TableConcat.Rows(parts);
    }

    private sealed class Segment(Table info, int[] counts)
    {
        public Table Info { get; } = info;
        public int[] Counts { get; } = counts;
        public int Parent { get; set; }
        public int Used { get; set; }
        /// <summary>Child rows the segment's parents still have to get.</summary>
        public long Left { get; set; }
    }
}
