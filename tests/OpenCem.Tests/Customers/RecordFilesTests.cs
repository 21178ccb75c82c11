using OpenCem.Customers;

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
}
