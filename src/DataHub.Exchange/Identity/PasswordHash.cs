using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataHub.Exchange.Identity;

/// <summary>
/// Portal passwords: PBKDF2-HMAC-SHA256 with a 16-byte random salt per user, stored as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt base64&gt;$&lt;hash base64&gt;</c>; checked in constant time.
/// </summary>
public static class PasswordHash
{
    /// <summary>Iterations for new hashes (OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000; a sign-in here
    /// costs about 0.1 s at this count on one core, and the stored count is what a check uses).</summary>
    public const int Iterations = 210_000;

    /// <summary>The shortest password accepted.</summary>
    public const int MinLength = 10;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Why a password cannot be used, or null.</summary>
    public static string? Problem(string? password) =>
        string.IsNullOrEmpty(password) ? "a password is required"
        : password.Length < MinLength ? string.Create(CultureInfo.InvariantCulture, $"a password needs at least {MinLength} characters")
        : password.Length > 256 ? "a password has at most 256 characters"
        : null;

    /// <summary>Hashes a password with a fresh salt.</summary>
    public static string Hash(string password, int iterations = Iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether a password matches a stored hash (false for a malformed or missing hash).</summary>
    public static bool Verify(string password, string? stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var count, var saltText, var hashText]
            || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > 10_000_000)
        {
            // Spend about the same time as a real check, so the answer does not tell which users have a password.
            _ = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), new byte[SaltBytes], Iterations, HashAlgorithmName.SHA256, HashBytes);
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(saltText);
            expected = Convert.FromBase64String(hashText);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
