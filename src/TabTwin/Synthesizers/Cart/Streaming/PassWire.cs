using System.Runtime.InteropServices;

namespace TabTwin.Synthesizers.Cart.Streaming;

/// <summary>
/// The binary form of what a streaming fit's passes exchange between a coordinator and the workers that read the
/// partitions (another process, another machine): length-prefixed little-endian arrays. A length is checked against the
/// bytes left before anything is allocated, so a damaged or hostile message is an error, never a huge allocation.
/// </summary>
internal static class PassWire
{
    public static void WriteArray<T>(this BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static T[] ReadArray<T>(this BinaryReader reader) where T : unmanaged
    {
        int length = reader.ReadInt32();
        int size = Marshal.SizeOf<T>();
        if (length < 0 || (long)length * size > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"A streaming-fit message declares {length} values but holds fewer bytes; it is damaged.");
        var values = new T[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public static void WriteJagged<T>(this BinaryWriter writer, T[][] arrays) where T : unmanaged
    {
        writer.Write(arrays.Length);
        foreach (var a in arrays) writer.WriteArray<T>(a);
    }

    public static T[][] ReadJagged<T>(this BinaryReader reader) where T : unmanaged
    {
        int length = reader.ReadInt32();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"A streaming-fit message declares {length} arrays but holds fewer bytes; it is damaged.");
        var arrays = new T[length][];
        for (int i = 0; i < length; i++) arrays[i] = reader.ReadArray<T>();
        return arrays;
    }

    /// <summary>Adds <paramref name="source"/> into <paramref name="target"/> element by element (the shapes must agree).</summary>
    public static void AddInto(double[] target, double[] source)
    {
        if (target.Length != source.Length) throw new InvalidDataException("Partial histograms of different shapes cannot be added.");
        for (int i = 0; i < target.Length; i++) target[i] += source[i];
    }

    public static void AddInto(int[] target, int[] source)
    {
        if (target.Length != source.Length) throw new InvalidDataException("Partial counts of different shapes cannot be added.");
        for (int i = 0; i < target.Length; i++) target[i] += source[i];
    }

    public static void AddInto(long[] target, long[] source)
    {
        if (target.Length != source.Length) throw new InvalidDataException("Partial counts of different shapes cannot be added.");
        for (int i = 0; i < target.Length; i++) target[i] += source[i];
    }
}
