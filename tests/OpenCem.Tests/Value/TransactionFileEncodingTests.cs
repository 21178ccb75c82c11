using System.Text;
using OpenCem.Hosting;
using OpenCem.Value.Transactions;

namespace OpenCem.Tests.Value;

public sealed class TransactionFileEncodingTests
{
    [Fact]
    public void A_line_that_is_not_utf8_is_rejected_by_number_and_the_others_load()
    {
        var bytes = Encoding.Latin1.GetBytes("customer,date,amount\nc1,2026-01-02,10.5\nM\u00fcller,2026-01-03,20\nc3,2026-01-04,30\n");
        using var text = new Utf8LineReader(new MemoryStream(bytes));
        var rejections = new List<TransactionRejection>();

        var lines = TransactionFile.Read(text, new TransactionColumns("customer", "date", "amount"), ",", null, rejections).ToList();

        Assert.Equal(["c1", "c3"], lines.Select(l => l.Customer));
        var rejected = Assert.Single(rejections);
        Assert.Equal(3, rejected.Line);
        Assert.Contains("is not UTF-8: byte 0xFC", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_is_not_utf8_refuses_the_file()
    {
        var bytes = Encoding.Latin1.GetBytes("Kunde,Datum,Betrag \u20ac\nc1,2026-01-02,10\n".Replace('\u20ac', '\u00e4'));
        using var text = new Utf8LineReader(new MemoryStream(bytes));
        var exception = Assert.Throws<TransactionFileException>(() =>
            TransactionFile.Read(text, new TransactionColumns("Kunde", "Datum", "3"), ",", null, []).ToList());
        Assert.Contains("is not UTF-8", exception.Message, StringComparison.Ordinal);
    }
}
