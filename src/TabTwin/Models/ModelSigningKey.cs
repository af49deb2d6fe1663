using System.Security.Cryptography;

namespace TabTwin.Models;

/// <summary>
/// A secret key for signing model files (HMAC-SHA256 over the manifest, which carries the schema and the SHA-256 of
/// every entry, so the signature covers the whole model). The SHA-256 hashes alone are integrity, not authenticity:
/// anyone can edit a model file and recompute them. A signature can only be made by someone holding the key, so a team
/// that shares models through an untrusted place signs at <c>fit</c> and verifies at <c>sample</c>.
/// </summary>
public sealed class ModelSigningKey
{
    /// <summary>Environment variable naming a key file, used by the CLI when no key option is given.</summary>
    public const string EnvironmentVariable = "TABTWIN_MODEL_KEY_FILE";
    /// <summary>Shortest accepted key, in bytes (e.g. <c>openssl rand -hex 32 &gt; team.key</c> gives 64).</summary>
    public const int MinBytes = 32;
    /// <summary>Longest accepted key file, in bytes.</summary>
    public const int MaxBytes = 4096;
    internal const string SignatureEntry = "manifest.sig";

    private readonly byte[] _key;

    public ModelSigningKey(ReadOnlySpan<byte> key)
    {
        if (key.Length is < MinBytes or > MaxBytes)
            throw new ModelFileException("model.key", $"A model signing key must have {MinBytes} to {MaxBytes} bytes; this one has {key.Length}.",
                hint: "Make one with: openssl rand -hex 32 > team.key");
        _key = key.ToArray();
    }

    /// <summary>The key in <paramref name="path"/>: the file's bytes, without trailing spaces or line breaks.</summary>
    public static ModelSigningKey FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxBytes)
                throw new ModelFileException("model.key", $"The key file '{ModelFileErrors.Clip(path)}' has {info.Length:N0} bytes; a key has at most {MaxBytes}.", path);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException("model.key", $"The key file '{ModelFileErrors.Clip(path)}' cannot be read: {ModelFileErrors.Clip(e.Message)}", path, inner: e);
        }
        int end = bytes.Length;
        while (end > 0 && bytes[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') end--;
        try { return new ModelSigningKey(bytes.AsSpan(0, end)); }
        catch (ModelFileException e) { throw new ModelFileException(e.Code, $"Key file '{ModelFileErrors.Clip(path)}': {e.Message}", path, e.Hint); }
    }

    /// <summary>The key in the file named by <see cref="EnvironmentVariable"/>, or null when the variable is not set.</summary>
    public static ModelSigningKey? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? FromFile(path) : null;

    /// <summary>The key in <paramref name="keyFile"/> when given, else the one named by <see cref="EnvironmentVariable"/>, else null (no signing).</summary>
    public static ModelSigningKey? Resolve(string? keyFile) => keyFile is { Length: > 0 } ? FromFile(keyFile) : FromEnvironment();

    internal byte[] Sign(ReadOnlySpan<byte> manifest) => System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(_key, manifest)));

    internal bool Verifies(ReadOnlySpan<byte> manifest, ReadOnlySpan<byte> signature) =>
        CryptographicOperations.FixedTimeEquals(Sign(manifest), signature);
}
