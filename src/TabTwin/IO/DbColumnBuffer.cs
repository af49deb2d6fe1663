using System.Data.Common;
using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>
/// Collects one result column without boxing: values of the common provider types (64/32/16-bit integers,
/// double, string, bool, DateTime) go into typed arrays. Only a column whose values have other or mixed CLR types
/// (decimal, DateTimeOffset, SQLite's dynamic typing, unsupported types) falls back to a list of boxed objects.
/// </summary>
internal sealed class DbColumnBuffer
{
    internal enum Kind { None, Integer, Double, String, Boolean, DateTime, Objects }

    private long[] _longs = [];
    private double[] _doubles = [];
    private string?[] _strings = [];
    private bool[] _bools = [];
    private long[] _ticks = [];
    private List<object?>? _objects;
    private readonly Bitmask.Builder _nulls = new(0);

    public Kind ValueKind { get; private set; } = Kind.None;
    public int Count { get; private set; }
    /// <summary>Some DateTime had Kind=Utc (PostgreSQL timestamptz): the column is a time-zoned instant.</summary>
    public bool SawUtc { get; private set; }

    public void Add(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            _nulls.Set(Count);
            _objects?.Add(null);
            Count++;
            return;
        }
        _nulls.EnsureLength(Count + 1);
        var type = reader.GetFieldType(ordinal);
        var kind = type == typeof(long) || type == typeof(int) || type == typeof(short) ? Kind.Integer
            : type == typeof(double) ? Kind.Double
            : type == typeof(string) ? Kind.String
            : type == typeof(bool) ? Kind.Boolean
            : type == typeof(DateTime) ? Kind.DateTime
            : Kind.Objects;
        if (ValueKind == Kind.None)
        {
            ValueKind = kind;
            if (kind == Kind.Objects) _objects = [.. new object?[Count]]; // the rows so far were all missing
        }
        else if (kind != ValueKind && ValueKind != Kind.Objects) SwitchToObjects();

        switch (ValueKind)
        {
            case Kind.Integer:
                Grow(ref _longs);
                _longs[Count] = type == typeof(long) ? reader.GetInt64(ordinal) : type == typeof(int) ? reader.GetInt32(ordinal) : reader.GetInt16(ordinal);
                break;
            case Kind.Double: Grow(ref _doubles); _doubles[Count] = reader.GetDouble(ordinal); break;
            case Kind.String: Grow(ref _strings); _strings[Count] = reader.GetString(ordinal); break;
            case Kind.Boolean: Grow(ref _bools); _bools[Count] = reader.GetBoolean(ordinal); break;
            case Kind.DateTime:
                Grow(ref _ticks);
                var dt = reader.GetDateTime(ordinal);
                SawUtc |= dt.Kind == DateTimeKind.Utc;
                _ticks[Count] = dt.Ticks;
                break;
            default: _objects!.Add(reader.GetValue(ordinal)); break;
        }
        Count++;
    }

    public Bitmask Nulls() => _nulls.Build();
    public long[] Longs() => _longs[..Count];
    public double[] Doubles() => _doubles[..Count];
    public string?[] Strings() => _strings[..Count];
    public bool[] Booleans() => _bools[..Count];
    public long[] Ticks() => _ticks[..Count];

    /// <summary>Every value boxed (null = missing), whatever the kind.</summary>
    public List<object?> Objects()
    {
        if (_objects is not null) return _objects;
        var nulls = Nulls();
        var list = new List<object?>(Count);
        for (int i = 0; i < Count; i++) list.Add(nulls[i] ? null : Boxed(i));
        return list;
    }

    private object? Boxed(int i) => ValueKind switch
    {
        Kind.Integer => _longs[i],
        Kind.Double => _doubles[i],
        Kind.String => _strings[i],
        Kind.Boolean => _bools[i],
        Kind.DateTime => new DateTime(_ticks[i], SawUtc ? DateTimeKind.Utc : DateTimeKind.Unspecified),
        _ => null,
    };

    private void SwitchToObjects()
    {
        _objects = Objects();
        ValueKind = Kind.Objects;
        _longs = []; _doubles = []; _strings = []; _bools = []; _ticks = [];
    }

    private void Grow<T>(ref T[] array)
    {
        if (Count >= array.Length) Array.Resize(ref array, Math.Max(1024, array.Length * 2));
    }
}
