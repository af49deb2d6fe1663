using System.Runtime.InteropServices;

namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// One chunk as the tree passes need it: every column's predictor bin (the last bin = missing; for a discrete column the bin
/// is also its class), and for continuous columns the value and its leaf-grid bin.
/// </summary>
internal sealed record BinnedChunk(int Rows, int[][] Bins, double[]?[] Values, int[]?[] GridBins);

/// <summary>
/// The binned rows written once to a temporary file, so the tree passes — one per level — read compact bins instead of
/// parsing and encoding the source again (which cost several times the histogram work: 2–5 s per million rows). The file
/// takes 2 bytes per cell (4 past 65,535 bins) plus 10 per continuous value; it lives in the temporary folder, is
/// deleted when closed (also on failure), and is read sequentially, so the operating system's cache serves the passes
/// and the process's memory stays bounded by one chunk.
/// </summary>
internal sealed class BinnedSpill : IDisposable
{
    private readonly FileStream _file;
    private readonly bool[] _wide;
    private readonly bool[] _continuous;
    private int _chunks;
    private int[][] _bins = [];
    private double[]?[] _values = [];
    private int[]?[] _grids = [];
    private ushort[] _narrow = [];

    public BinnedSpill(string? folder, int[] binCounts, bool[] continuous)
    {
        folder ??= Path.GetTempPath();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"tabtwin-spill-{Guid.NewGuid():N}.bin");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
        _wide = binCounts.Select(b => b > ushort.MaxValue).ToArray();
        _continuous = continuous;
    }

    public long Bytes => _file.Length;

    public void Write(BinnedChunk chunk)
    {
        Span<byte> header = stackalloc byte[4];
        BitConverter.TryWriteBytes(header, chunk.Rows);
        _file.Write(header);
        for (int j = 0; j < chunk.Bins.Length; j++)
        {
            if (_wide[j]) _file.Write(MemoryMarshal.AsBytes(chunk.Bins[j].AsSpan()));
            else
            {
                var narrow = new ushort[chunk.Rows];
                for (int r = 0; r < narrow.Length; r++) narrow[r] = (ushort)chunk.Bins[j][r];
                _file.Write(MemoryMarshal.AsBytes(narrow.AsSpan()));
            }
            if (!_continuous[j]) continue;
            _file.Write(MemoryMarshal.AsBytes(chunk.Values[j]!.AsSpan()));
            var grid = new ushort[chunk.Rows];
            for (int r = 0; r < grid.Length; r++) grid[r] = (ushort)chunk.GridBins[j]![r];
            _file.Write(MemoryMarshal.AsBytes(grid.AsSpan()));
        }
        _chunks++;
    }

    /// <summary>One pass over what was written, chunk by chunk.</summary>
    public IEnumerable<BinnedChunk> Read(CancellationToken cancel)
    {
        _file.Flush();
        _file.Position = 0;
        var header = new byte[4];
        for (int c = 0; c < _chunks; c++)
        {
            cancel.ThrowIfCancellationRequested();
            _file.ReadExactly(header);
            int rows = BitConverter.ToInt32(header);
            int m = _wide.Length;
            // The arrays are reused from chunk to chunk (the consumer is done with a chunk before asking for the next).
            if (_bins.Length != m || (m > 0 && _bins[0].Length < rows))
            {
                _bins = new int[m][]; _values = new double[]?[m]; _grids = new int[]?[m]; _narrow = new ushort[rows];
                for (int j = 0; j < m; j++)
                {
                    _bins[j] = new int[rows];
                    if (_continuous[j]) { _values[j] = new double[rows]; _grids[j] = new int[rows]; }
                }
            }
            var (bins, values, grids) = (_bins, _values, _grids);
            var narrow = _narrow.AsSpan(0, rows);
            for (int j = 0; j < m; j++)
            {
                if (_wide[j]) _file.ReadExactly(MemoryMarshal.AsBytes(bins[j].AsSpan(0, rows)));
                else
                {
                    _file.ReadExactly(MemoryMarshal.AsBytes(narrow));
                    for (int r = 0; r < rows; r++) bins[j][r] = narrow[r];
                }
                if (!_continuous[j]) continue;
                _file.ReadExactly(MemoryMarshal.AsBytes(values[j].AsSpan(0, rows)));
                _file.ReadExactly(MemoryMarshal.AsBytes(narrow));
                for (int r = 0; r < rows; r++) grids[j]![r] = narrow[r];
            }
            yield return new BinnedChunk(rows, bins, values, grids);
        }
    }

    public void Dispose() => _file.Dispose();
}
