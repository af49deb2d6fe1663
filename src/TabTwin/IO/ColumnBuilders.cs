using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Pass 2 of inference: turns fields into one typed column following a <see cref="ColumnPlan"/>.
/// Fields arrive as spans so that only strings that must be kept (new categories, free text) are allocated.
/// </summary>
internal abstract class ColumnBuilder
{
    protected readonly Bitmask.Builder Missing;
    protected int Count;

    // The mask grows with the rows (a Builder created with a capacity would report that capacity as its length).
    protected ColumnBuilder(int capacity) => Missing = new Bitmask.Builder(0);

    public static ColumnBuilder For(ColumnPlan plan, int capacity)
    {
        ColumnBuilder builder = plan.Kind switch
        {
            InferredKind.Numeric => new NumericBuilder(plan, capacity),
            InferredKind.Boolean => new BooleanBuilder(plan, capacity),
            InferredKind.DateTime => new DateTimeBuilder(plan, capacity),
            InferredKind.Categorical => new CategoricalBuilder(capacity),
            _ => new TextBuilder(capacity),
        };
        builder.KeepsNumberWords = plan.KeepsNumberWords;
        return builder;
    }

    /// <summary>See <see cref="ColumnPlan.KeepsNumberWords"/>.</summary>
    public bool KeepsNumberWords { get; private set; }

    /// <summary>Adds a missing value.</summary>
    public void AppendMissing()
    {
        EnsureCapacity(Count + 1);
        Missing.Set(Count);
        Count++;
    }

    /// <summary>Adds a present value; false when the text does not fit the plan (the caller reports where).</summary>
    public bool Append(ReadOnlySpan<char> s)
    {
        EnsureCapacity(Count + 1);
        Missing.EnsureLength(Count + 1);
        if (!TryStore(Count, s)) return false;
        Count++;
        return true;
    }

    public abstract Column Build(string name);
    protected abstract bool TryStore(int row, ReadOnlySpan<char> s);
    protected abstract void EnsureCapacity(int length);

    protected static void Grow<T>(ref T[] array, int length)
    {
        if (length > array.Length) Array.Resize(ref array, Math.Max(length, Math.Max(16, array.Length * 2)));
    }

    protected static T[] Trim<T>(T[] array, int length) => array.Length == length ? array : array[..length];

    private sealed class NumericBuilder(ColumnPlan plan, int capacity) : ColumnBuilder(capacity)
    {
        private double[] _values = new double[capacity];
        protected override void EnsureCapacity(int length) => Grow(ref _values, length);
        protected override bool TryStore(int row, ReadOnlySpan<char> s)
        {
            if (!ValueShapes.IsNumber(s, out _, out _)) return false;
            _values[row] = ValueShapes.ParseNumber(s);
            return true;
        }
        public override Column Build(string name)
            => new NumericColumn(name, Trim(_values, Count), Missing.Build(), plan.IsInteger, plan.DecimalPlaces);
    }

    private sealed class BooleanBuilder(ColumnPlan plan, int capacity) : ColumnBuilder(capacity)
    {
        private bool[] _values = new bool[capacity];
        protected override void EnsureCapacity(int length) => Grow(ref _values, length);
        protected override bool TryStore(int row, ReadOnlySpan<char> s)
        {
            if (!ValueShapes.TryBoolean(s, out _, out bool v)) return false;
            _values[row] = v;
            return true;
        }
        public override Column Build(string name)
            => new BooleanColumn(name, Trim(_values, Count), Missing.Build(), plan.TrueToken, plan.FalseToken);
    }

    private sealed class DateTimeBuilder(ColumnPlan plan, int capacity) : ColumnBuilder(capacity)
    {
        private long[] _ticks = new long[capacity];
        private short[] _offsets = plan.DateHasOffset ? new short[capacity] : [];
        protected override void EnsureCapacity(int length)
        {
            Grow(ref _ticks, length);
            if (plan.DateHasOffset) Grow(ref _offsets, length);
        }
        protected override bool TryStore(int row, ReadOnlySpan<char> s)
        {
            if (!ValueShapes.TryParseDate(s, plan.DateFormat!, plan.DateHasOffset, out long ticks, out short offset)) return false;
            _ticks[row] = ticks;
            if (plan.DateHasOffset) _offsets[row] = offset;
            return true;
        }
        public override Column Build(string name)
            => new DateTimeColumn(name, Trim(_ticks, Count), Missing.Build(), plan.DateFormat!,
                plan.DateHasOffset ? Trim(_offsets, Count) : null);
    }

    private sealed class CategoricalBuilder(int capacity) : ColumnBuilder(capacity)
    {
        private int[] _codes = new int[capacity];
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<string> _categories = [];
        protected override void EnsureCapacity(int length) => Grow(ref _codes, length);
        protected override bool TryStore(int row, ReadOnlySpan<char> s)
        {
            var lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(s, out int code))
            {
                code = _categories.Count;
                var text = s.ToString();
                _index[text] = code;
                _categories.Add(text);
            }
            _codes[row] = code;
            return true;
        }
        public override Column Build(string name)
        {
            var codes = Trim(_codes, Count);
            var missing = Missing.Build();
            for (int i = 0; i < codes.Length; i++) if (missing[i]) codes[i] = -1;
            return new CategoricalColumn(name, codes, _categories.ToArray());
        }
    }

    private sealed class TextBuilder(int capacity) : ColumnBuilder(capacity)
    {
        private string?[] _values = new string?[capacity];
        protected override void EnsureCapacity(int length) => Grow(ref _values, length);
        protected override bool TryStore(int row, ReadOnlySpan<char> s)
        {
            _values[row] = s.ToString();
            return true;
        }
        public override Column Build(string name) => new TextColumn(name, Trim(_values, Count));
    }
}
