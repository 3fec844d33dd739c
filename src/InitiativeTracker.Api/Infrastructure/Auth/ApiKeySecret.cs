using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace InitiativeTracker.Api.Infrastructure.Auth;

/// <summary>
/// The secret of a stored API key: <c>itk_</c> and 32 random bytes (256 bits) in base64url. Only its
/// SHA-256 hash is stored; its first <see cref="PrefixLength"/> characters are kept in the clear so an
/// admin can tell keys apart and authentication can find the row before comparing hashes.
/// </summary>
public static class ApiKeySecret
{
    public const string Marker = "itk_";

    /// <summary>The marker and 8 characters (48 of the 256 bits): recognisable, useless on its own.</summary>
    public const int PrefixLength = 12;

    private const int RandomBytes = 32;

    /// <summary>The length of every secret this service issues: the marker and 43 base64url characters.</summary>
    public static readonly int Length = Marker.Length + Base64Url.GetEncodedLength(RandomBytes);

    public static (string Secret, string Prefix, byte[] Hash) New()
    {
        var secret = Marker + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
        return (secret, secret[..PrefixLength], Hash(secret));
    }

    public static byte[] Hash(string presented) => SHA256.HashData(Encoding.UTF8.GetBytes(presented));

    /// <summary>Whether <paramref name="presented"/> has the shape of an issued secret (so is worth a database look-up).</summary>
    public static bool IsWellFormed(string presented) =>
        presented.Length == Length && presented.StartsWith(Marker, StringComparison.Ordinal);
}
