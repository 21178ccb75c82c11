using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace OpenCem.Tests.Infrastructure;

/// <summary>The sink itself, so that a mail test failing means the mailer is wrong, not the test server.</summary>
public sealed class SmtpSinkTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static MimeMessage Message(string to, string text) => new(
        [new MailboxAddress("Sender", "sender@example.com")],
        [new MailboxAddress("", to)],
        "Test",
        new TextPart("plain") { Text = text });

    [Fact]
    public async Task Data_LinesStartingWithDots_Unstuffed()
    {
        await using var sink = new SmtpSink();
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", sink.Port, SecureSocketOptions.None);

        await client.SendAsync(Message("a@example.com", "first\r\n.\r\n..two\r\n.hidden\r\nlast\r\n"));
        await client.DisconnectAsync(quit: true);

        var received = Assert.Single(await sink.WaitForAsync(1, Wait));
        Assert.Equal("first\n.\n..two\n.hidden\nlast\n", received.Message.TextBody?.ReplaceLineEndings("\n"));
        Assert.Equal("sender@example.com", received.From);
    }

    [Fact]
    public async Task Pipelining_CommandsInOnePacket_AnsweredInOrder()
    {
        await using var sink = new SmtpSink(rejectRecipients: ["no@example.com"]);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", sink.Port);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);

        Assert.StartsWith("220 ", await reader.ReadLineAsync());
        await stream.WriteAsync("EHLO test\r\nMAIL FROM:<s@example.com> BODY=8BITMIME\r\nRCPT TO:<no@example.com>\r\nRCPT TO:<yes@example.com>\r\nDATA\r\n"u8.ToArray());
        var replies = new List<string>();
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null && !line.StartsWith("354", StringComparison.Ordinal))
        {
            replies.Add(line);
        }

        Assert.Equal(["250-", "250-", "250-", "250 ", "250 ", "550 ", "250 "], replies.Select(reply => reply[..4]));
        Assert.Contains("250 PIPELINING", replies);
        await stream.WriteAsync("Subject: raw\r\n\r\nbody\r\n.\r\nQUIT\r\n"u8.ToArray());
        Assert.StartsWith("250 ", await reader.ReadLineAsync());
        Assert.StartsWith("221 ", await reader.ReadLineAsync());
        var received = Assert.Single(await sink.WaitForAsync(1, Wait));
        Assert.Equal(["yes@example.com"], received.Recipients);
        Assert.Equal("raw", received.Message.Subject);
    }

    [Fact]
    public async Task Connections_Concurrent_AllServed()
    {
        await using var sink = new SmtpSink();

        await Task.WhenAll(Enumerable.Range(1, 3).Select(async i =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", sink.Port, SecureSocketOptions.None);
            await client.SendAsync(Message($"r{i}@example.com", $"mail {i}"));
            await client.DisconnectAsync(quit: true);
        }));

        var received = await sink.WaitForAsync(3, Wait);
        Assert.Equal(3, sink.Connections);
        Assert.Equal([1, 2, 3], received.Select(mail => mail.ConnectionId).Order());
        Assert.Equal(["r1@example.com", "r2@example.com", "r3@example.com"], received.Select(mail => Assert.Single(mail.Recipients)).Order());
    }

    [Fact]
    public async Task WaitForAsync_TooFew_TimesOut()
    {
        await using var sink = new SmtpSink();

        await Assert.ThrowsAsync<TimeoutException>(() => sink.WaitForAsync(1, TimeSpan.FromMilliseconds(100)));
    }
}
