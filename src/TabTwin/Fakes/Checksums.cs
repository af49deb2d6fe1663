namespace TabTwin.Fakes;

/// <summary>Check-digit algorithms shared by detection (validating) and the faker (generating): one definition each.</summary>
public static class Checksums
{
    /// <summary>Whether a digit string passes the Luhn (mod-10) check used by card numbers.</summary>
    public static bool LuhnValid(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2) return false;
        foreach (var c in digits) if (!char.IsAsciiDigit(c)) return false;
        return LuhnCheckDigit(digits[..^1]) == digits[^1] - '0';
    }

    /// <summary>The digit that makes <paramref name="payload"/> + digit pass the Luhn test.</summary>
    public static int LuhnCheckDigit(ReadOnlySpan<char> payload)
    {
        int sum = 0;
        bool doubleIt = true; // the rightmost payload digit sits next to the check digit, so it is doubled
        for (int i = payload.Length - 1; i >= 0; i--)
        {
            int d = payload[i] - '0';
            if (doubleIt) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    /// <summary>The ISO 13616 remainder of an IBAN (compact, upper case): 1 for a valid one, -1 for a bad character.</summary>
    public static int IbanMod97(string compactIban)
    {
        var rearranged = compactIban[4..] + compactIban[..4];
        int remainder = 0;
        foreach (char c in rearranged)
        {
            if (char.IsAsciiDigit(c)) remainder = (remainder * 10 + (c - '0')) % 97;
            else if (char.IsAsciiLetterUpper(c)) remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            else return -1;
        }
        return remainder;
    }

    /// <summary>The control letter of a Spanish DNI number (mod 23).</summary>
    public static char DniLetter(int number) => "TRWAGMYFPDXBNJZSQVHLCKE"[number % 23];

    /// <summary>
    /// The next Brazilian CPF check digit after <paramref name="digits"/> (9 digits → first check digit,
    /// 10 → second): weights run from digits.Length + 1 down to 2, then (sum × 10 mod 11) mod 10.
    /// </summary>
    public static int CpfCheckDigit(ReadOnlySpan<char> digits)
    {
        int sum = 0, firstWeight = digits.Length + 1;
        for (int i = 0; i < digits.Length; i++) sum += (firstWeight - i) * (digits[i] - '0');
        return sum * 10 % 11 % 10;
    }
}
