using System.Text;
using OpenCem.Feedback.Responses;
using OpenCem.Hosting;

namespace OpenCem.Tests.Fuzzing;

public sealed class JsonInputTests
{
    [Theory]
    [InlineData("""{"a":"fine","b":["\ud83d\ude00"]}""", null)]
    [InlineData("""{"a":{"b":[1,"x\u0000y"]}}""", "a.b[1]")]
    [InlineData("""{"a":"\ud800"}""", "a")]
    [InlineData("""{"a":"\uDC00x"}""", "a")]
    [InlineData("""{"ok":1,"na\u0000me":2}""", "$")]
    [InlineData("""["x","\u0000"]""", "[1]")]
    public void Find_NamesTheFirstUnstorableText(string json, string? field)
    {
        using var document = JsonInput.Parse(json);
        Assert.Equal(field, JsonInput.Find(document.RootElement, Encoding.UTF8.GetBytes(json))?.Field);
    }

    [Fact]
    public void Find_BytesThatAreNotUtf8_AreFound()
    {
        byte[] json = [.. "{\"key\":\"a"u8, 0xFF, .. "b\"}"u8];
        using var document = JsonInput.Parse(json);
        Assert.Equal("key", JsonInput.Find(document.RootElement, json)?.Field);
    }

    [Fact]
    public void Parse_PropertyNamedTwice_IsRefused() =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonInput.Parse("""{"a":{"b":1,"b":2}}"""));

    [Theory]
    [InlineData("plain", false)]
    [InlineData("emoji \\ud83d\\ude00 pair", true)]
    [InlineData("\\u0000", true)]
    [InlineData("\\u00e4", false)]
    [InlineData("\\uDFFF", true)]
    public void MayHoldUnstorable_LooksOnlyAtTheEscapesThatCouldCarryIt(string raw, bool expected) =>
        Assert.Equal(expected, JsonInput.MayHoldUnstorable(Encoding.UTF8.GetBytes(raw)));

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")")]
    [InlineData("+1 cmd", "'+1 cmd")]
    [InlineData("-1", "-1")]
    [InlineData("+49", "+49")]
    [InlineData("@x", "'@x")]
    [InlineData("'=x", "''=x")]
    [InlineData("'quoted'", "'quoted'")]
    [InlineData("plain", "plain")]
    public void CsvFormulas_NeutraliseThenRestore_GivesTheTextBack(string text, string written)
    {
        Assert.Equal(written, CsvFormulas.Neutralise(text));
        Assert.Equal(text, CsvFormulas.Restore(written));
    }
}
