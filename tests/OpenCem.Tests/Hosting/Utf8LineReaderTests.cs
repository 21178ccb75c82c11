using System.Text;
using OpenCem.Hosting;

namespace OpenCem.Tests.Hosting;

/// <summary>Decoding as StreamReader does, while noting the lines that are not UTF-8, across block boundaries and line-end styles.</summary>
public sealed class Utf8LineReaderTests
{
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void ALargeFile_DecodesAsStreamReaderDoes_AndNotesExactlyTheBadLines(string newline)
    {
        // Multi-byte characters everywhere, so the 64 KB blocks are cut next to them; bad bytes on chosen lines.
        var bad = new HashSet<int> { 1, 2, 977, 1_500, 2_999, 3_000 };
        var file = new MemoryStream();
        for (var line = 1; line <= 3_000; line++)
        {
            file.Write(Encoding.UTF8.GetBytes($"{line},Jürgen Müller 😀 €{new string('x', line % 40)}"));
            if (bad.Contains(line))
            {
                file.Write([0xFC, (byte)'!']);
            }

            file.Write(Encoding.UTF8.GetBytes(newline));
        }

        var bytes = file.ToArray();
        using var reader = new Utf8LineReader(new MemoryStream(bytes));
        Assert.Equal(new StreamReader(new MemoryStream(bytes), Encoding.UTF8).ReadToEnd(), reader.ReadToEnd());

        var noted = new List<InvalidUtf8>();
        while (reader.FirstPending is { } next)
        {
            noted.Add(reader.Take(next.Line, next.Line)!);
        }

        Assert.Equal(bad.Order(), noted.Select(n => (int)n.Line));
        Assert.All(noted, n => Assert.Equal(0xFC, n.Byte));
        Assert.Equal("1,Jürgen Müller 😀 €x".EnumerateRunes().Count() + 1, noted[0].Column);
    }

    [Fact]
    public void ReadLine_AsStreamReader_WithBomAndAllLineEnds_AndTakeForgetsEarlierLines()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("a\r\nb\rc\n")).Concat(new byte[] { 0xE9, (byte)'\n', (byte)'d' }).ToArray();
        using var reader = new Utf8LineReader(new MemoryStream(bytes));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        Assert.Equal(["a", "b", "c", "\uFFFD", "d"], lines);
        Assert.Null(reader.Take(1, 3));
        Assert.Equal(new InvalidUtf8(4, 1, 0xE9), reader.Take(4, 4));
        Assert.Null(reader.FirstPending);
    }

    [Fact]
    public void ReadLine_ABlockEndingInCarriageReturn_KeepsTheLineAndCountsCrLfOnce()
    {
        // The first 64 KB block ends in the \r of a \r\n: the line is read whole, and the bad byte after is on line 2.
        var bytes = new byte[65_535 + 4];
        bytes.AsSpan(0, 65_535).Fill((byte)'a');
        bytes[65_535] = (byte)'\r';
        bytes[65_536] = (byte)'\n';
        bytes[65_537] = 0xC0;
        bytes[65_538] = (byte)'b';
        using var reader = new Utf8LineReader(new MemoryStream(bytes));
        Assert.Equal(new string('a', 65_535), reader.ReadLine());
        Assert.Equal("\uFFFDb", reader.ReadLine());
        Assert.Null(reader.ReadLine());
        Assert.Equal(new InvalidUtf8(2, 1, 0xC0), reader.Take(1, 2));
    }

    [Fact]
    public void First_FindsTheLineAndColumnOfTheFirstBadByte()
    {
        Assert.Null(InvalidUtf8.First("ok\n\"Müller\" 😀"u8));
        Assert.Equal(new InvalidUtf8(3, 5, 0xED), InvalidUtf8.First([.. "a\r\nb\nabc😀"u8, 0xED, 0xA0, 0x80, .. "\n"u8, 0xFF]));
    }
}
