namespace TabTwin.Neural;

/// <summary>
/// A row-major float32 matrix over a buffer allocated once. <see cref="Rows"/> may shrink and grow again up to the
/// buffer's capacity (the last, smaller mini-batch reuses the same buffer), so training loops never allocate.
/// </summary>
internal sealed class Matrix
{
    public Matrix(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        Data = new float[(long)rows * cols];
        Rows = rows;
        Cols = cols;
    }

    /// <summary>Wraps an existing row-major buffer (length ≥ rows · cols).</summary>
    public Matrix(float[] data, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(data);
        if ((long)rows * cols > data.Length) throw new ArgumentException($"A {rows}x{cols} matrix needs {(long)rows * cols} values; the buffer has {data.Length}.");
        Data = data; Rows = rows; Cols = cols;
    }

    /// <summary>The backing buffer; element (i, j) is <c>Data[i * Cols + j]</c>. Its length is the capacity.</summary>
    public float[] Data { get; private set; }
    public int Rows { get; private set; }
    public int Cols { get; private set; }
    public int Length => Rows * Cols;

    public float this[int row, int col]
    {
        get => Data[row * Cols + col];
        set => Data[row * Cols + col] = value;
    }

    public Span<float> Row(int row) => Data.AsSpan(row * Cols, Cols);
    public Span<float> AsSpan() => Data.AsSpan(0, Rows * Cols);

    /// <summary>Sets the shape, reusing the buffer when it is large enough (growing it otherwise). Contents are not preserved.</summary>
    public void Reshape(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        long need = (long)rows * cols;
        if (need > Data.Length) Data = new float[need];
        Rows = rows; Cols = cols;
    }

    /// <summary>Returns <paramref name="m"/> shaped rows × cols, creating it the first time (the pooled-buffer idiom of every layer).</summary>
    public static Matrix Ensure(ref Matrix? m, int rows, int cols)
    {
        if (m is null) m = new Matrix(rows, cols);
        else m.Reshape(rows, cols);
        return m;
    }

    public void Clear() => AsSpan().Clear();

    public void CopyFrom(Matrix source)
    {
        Reshape(source.Rows, source.Cols);
        source.AsSpan().CopyTo(AsSpan());
    }

    public float[,] ToArray()
    {
        var a = new float[Rows, Cols];
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++) a[i, j] = this[i, j];
        return a;
    }
}
