using Sylvan.Data.Csv;

namespace TabTwin.IO;

/// <summary>
/// A block of consecutive records copied out of the CSV reader (one char buffer plus field offsets) so that its
/// columns can be profiled or parsed in parallel, one column per task. Each column still sees its values in row
/// order, so results do not depend on the number of threads.
/// </summary>
internal sealed class FieldBlock(int fieldCount)
{
    public const int RowCapacity = 16_384;

    private char[] _chars = new char[1 << 20];
    private readonly int[] _starts = new int[RowCapacity * fieldCount];
    private readonly int[] _lengths = new int[RowCapacity * fieldCount];
    private int _used;

    public int Rows { get; private set; }
    public bool IsFull => Rows == RowCapacity;

    /// <summary>Copies the current record (which must have <c>fieldCount</c> fields).</summary>
    public void Add(CsvDataReader csv)
    {
        int at = Rows * fieldCount;
        for (int c = 0; c < fieldCount; c++)
        {
            var field = csv.GetFieldSpan(c);
            if (_used + field.Length > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + field.Length));
            field.CopyTo(_chars.AsSpan(_used));
            _starts[at + c] = _used;
            _lengths[at + c] = field.Length;
            _used += field.Length;
        }
        Rows++;
    }

    public ReadOnlySpan<char> Field(int row, int column)
    {
        int i = row * fieldCount + column;
        return _chars.AsSpan(_starts[i], _lengths[i]);
    }

    public void Clear()
    {
        Rows = 0;
        _used = 0;
    }

    /// <summary>Runs <paramref name="perColumn"/> for every column, columns in parallel.</summary>
    public void ForEachColumn(Action<int> perColumn)
    {
        if (Rows == 0) return;
        Parallel.For(0, fieldCount, perColumn);
    }
}
