using TabTwin.Tables;

namespace TabTwin.IO;

/// <summary>Databases read in chunks. (Interim: the table is read whole and served from memory.)</summary>
internal static class DbChunkSource
{
    public static ITableChunkSource Open(DbSource source, ReadOptions options, int chunkRows)
        => new InMemoryChunks(UnusableNumbers.Drop(DbTableReader.Read(source, options), source.Display, options.Warning), chunkRows, source.Display);
}
