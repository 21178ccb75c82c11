using System.Text;
using OpenCem.Customers;
using OpenCem.Hosting;

namespace OpenCem.Tests.Customers;

public sealed class RecordFilesTests
{
    [Fact]
    public void ReadCsv_TextAfterAClosingQuote_RejectsThatLineOnly_AndLoadsTheNext()
    {
        var rejections = new List<RecordRejection>();
        const string csv = "id,email,name\nK-1,a@example.com,\"bad\"x\nK-2,b@example.com,Good\nK-3,c@example.com,Also good\n";
        var records = RecordFiles.ReadCsv(new StringReader(csv), "crm", new SourceRecordReader(new IdentitySettings()), new Dictionary<string, string>(), rejections).ToList();

        Assert.Equal(["K-2", "K-3"], records.Select(r => r.Record.Key));
        var rejection = Assert.Single(rejections);
        Assert.Equal(2, rejection.Line);
        Assert.Contains("broken quoting", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCsv_Latin1Lines_AreRejectedByLineAsNotUtf8_TheUtf8OnesLoad()
    {
        // Line 3 is Latin-1 (ü as 0xFC); line 4 opens a quoted field whose second line (5) is Latin-1: the record is rejected by its first line.
        var csv = Concat("id,email,name\nK-1,a@example.com,Jürgen\n", Encoding.Latin1.GetBytes("K-2,b@example.com,Müller\n"),
            "K-3,c@example.com,\"two\n", Encoding.Latin1.GetBytes("lines Köln\"\n"), "K-4,d@example.com,Ödön 😀\n");
        var rejections = new List<RecordRejection>();
        var records = RecordFiles.ReadCsv(new Utf8LineReader(new MemoryStream(csv)), "crm", Reader, new Dictionary<string, string>(), rejections).ToList();

        Assert.Equal(["K-1", "K-4"], records.Select(r => r.Record.Key));
        Assert.Equal("Ödön 😀", (string?)System.Text.Json.Nodes.JsonNode.Parse(records[1].Record.TraitsJson)!["name"]);
        Assert.Equal([(3L, "is not UTF-8: byte 0xFC at column 20"), (4L, "line 5 of the record is not UTF-8: byte 0xF6 at column 8")],
            rejections.Select(r => (r.Line, r.Reason)));
    }

    [Fact]
    public void ReadCsv_AHeaderThatIsNotUtf8_FailsTheFile()
    {
        var csv = Concat(Encoding.Latin1.GetBytes("id,Straße\n"), "K-1,x\n");
        var error = Assert.Throws<RecordFileException>(() =>
            RecordFiles.ReadCsv(new Utf8LineReader(new MemoryStream(csv)), "crm", Reader, new Dictionary<string, string>(), []).ToList());
        Assert.Equal("line 1 (the header) is not UTF-8: byte 0xDF at column 8", error.Message);
    }

    [Fact]
    public void ReadJson_NdjsonLineNotUtf8_IsRejectedByLine_AnArrayFailsWhole()
    {
        var ndjson = Concat("{\"id\":\"W-1\"}\r\n\r\n", Encoding.Latin1.GetBytes("{\"id\":\"W-2\",\"city\":\"Köln\"}\r\n"), "{\"id\":\"W-3\"}\r\n");
        var rejections = new List<RecordRejection>();
        var records = RecordFiles.ReadJson(new Utf8LineReader(new MemoryStream(ndjson)), "shop", Reader, rejections).ToList();
        Assert.Equal(["W-1", "W-3"], records.Select(r => r.Record.Key));
        Assert.Equal((3L, "is not UTF-8: byte 0xF6 at column 22"), (Assert.Single(rejections).Line, rejections[0].Reason));

        var array = Concat("[{\"id\":\"W-1\"},\n", Encoding.Latin1.GetBytes("{\"id\":\"W-2\",\"city\":\"Köln\"}]"));
        var error = Assert.Throws<RecordFileException>(() => RecordFiles.ReadJson(new Utf8LineReader(new MemoryStream(array)), "shop", Reader, []).ToList());
        Assert.StartsWith("line 2 is not UTF-8: byte 0xF6 at column 22", error.Message, StringComparison.Ordinal);
    }

    private static SourceRecordReader Reader => new(new IdentitySettings());

    private static byte[] Concat(params object[] parts) =>
        [.. parts.SelectMany(p => p is string text ? Encoding.UTF8.GetBytes(text) : (byte[])p)];
}
