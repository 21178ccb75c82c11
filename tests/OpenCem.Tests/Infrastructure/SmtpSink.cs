using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace OpenCem.Tests.Infrastructure;

/// <summary>A message the sink accepted: the envelope as the client gave it, and the parsed message.</summary>
/// <param name="ConnectionId">Which connection delivered it (1, 2, …), to tell one connection from several.</param>
/// <param name="UserName">The user the connection authenticated as, if it did.</param>
public sealed record ReceivedMail(int ConnectionId, string? UserName, string From, IReadOnlyList<string> Recipients, MimeMessage Message);

/// <summary>
/// A real SMTP server on a free loopback port for end-to-end mail tests: it speaks enough RFC 5321 for MailKit
/// (EHLO with 8BITMIME, SIZE and PIPELINING, HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT, and
/// AUTH PLAIN when credentials are given), delivers nothing and keeps every accepted message. Recipients in
/// <c>rejectRecipients</c> get a 550, to test a refused recipient. Several connections are served at once.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private const int MaxMessageBytes = 10 * 1024 * 1024;
    private const int MaxLineBytes = 64 * 1024;

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly HashSet<string> rejected;
    private readonly (string UserName, string Password)? credentials;
    private readonly Lock gate = new();
    private readonly List<ReceivedMail> messages = [];
    private readonly List<Task> sessions = [];
    private readonly Task acceptLoop;
    private TaskCompletionSource received = NewSignal();
    private int connections;

    public SmtpSink(IEnumerable<string>? rejectRecipients = null, (string UserName, string Password)? credentials = null)
    {
        rejected = new HashSet<string>(rejectRecipients ?? [], StringComparer.OrdinalIgnoreCase);
        this.credentials = credentials;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>How many connections clients have opened so far.</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>The messages accepted so far, in the order their DATA ended.</summary>
    public IReadOnlyList<ReceivedMail> Messages
    {
        get
        {
            lock (gate)
            {
                return [.. messages];
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived; throws a TimeoutException otherwise.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (messages.Count >= count)
                {
                    return [.. messages];
                }

                signal = received.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(signal, Task.Delay(left)) != signal)
            {
                throw new TimeoutException($"The SMTP sink received {Messages.Count} of {count} messages within {timeout}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        Task[] running;
        lock (gate)
        {
            running = [acceptLoop, .. sessions];
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var id = Interlocked.Increment(ref connections);
            lock (gate)
            {
                sessions.Add(Task.Run(() => ServeAsync(client, id)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, int connectionId)
    {
        using var _ = client;
        try
        {
            await using var stream = client.GetStream();
            var session = new Session(this, stream, connectionId, stopping.Token);
            await session.RunAsync();
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the sink is stopping.
        }
    }

    private void Accept(ReceivedMail mail)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            messages.Add(mail);
            signal = received;
            received = NewSignal();
        }

        signal.SetResult();
    }

    /// <summary>One client connection: the command loop and its transaction state.</summary>
    private sealed class Session(SmtpSink sink, NetworkStream stream, int connectionId, CancellationToken ct)
    {
        private readonly byte[] buffer = new byte[8192];
        private int start;
        private int end;
        private string? userName;
        private string? from;
        private readonly List<string> recipients = [];

        public async Task RunAsync()
        {
            await ReplyAsync("220 localhost OpenCem test SMTP sink ready");
            while (await ReadLineAsync() is { } bytes)
            {
                var line = Encoding.Latin1.GetString(bytes);
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
                var argument = space < 0 ? "" : line[(space + 1)..].Trim();
                switch (verb)
                {
                    case "EHLO":
                        Reset();
                        await ReplyAsync(sink.credentials is null
                            ? $"250-localhost greets {argument}\r\n250-8BITMIME\r\n250-SIZE {MaxMessageBytes}\r\n250 PIPELINING"
                            : $"250-localhost greets {argument}\r\n250-8BITMIME\r\n250-SIZE {MaxMessageBytes}\r\n250-PIPELINING\r\n250 AUTH PLAIN");
                        break;
                    case "HELO":
                        Reset();
                        await ReplyAsync($"250 localhost greets {argument}");
                        break;
                    case "AUTH":
                        await AuthenticateAsync(argument);
                        break;
                    case "MAIL":
                        await MailAsync(argument);
                        break;
                    case "RCPT":
                        await RecipientAsync(argument);
                        break;
                    case "DATA":
                        await DataAsync();
                        break;
                    case "RSET":
                        Reset();
                        await ReplyAsync("250 2.0.0 OK");
                        break;
                    case "NOOP":
                        await ReplyAsync("250 2.0.0 OK");
                        break;
                    case "VRFY":
                        await ReplyAsync("252 2.1.5 Cannot verify, but will accept");
                        break;
                    case "QUIT":
                        await ReplyAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await ReplyAsync("500 5.5.2 Command not recognised");
                        break;
                }
            }
        }

        private void Reset()
        {
            from = null;
            recipients.Clear();
        }

        private async Task AuthenticateAsync(string argument)
        {
            var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (sink.credentials is not { } expected || parts.Length == 0 || !parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
            {
                await ReplyAsync("504 5.5.4 Authentication mechanism not supported");
                return;
            }

            var response = parts.Length > 1 ? parts[1] : null;
            if (response is null)
            {
                await ReplyAsync("334 ");
                response = await ReadLineAsync() is { } bytes ? Encoding.ASCII.GetString(bytes) : "";
            }

            // PLAIN: base64 of "authzid NUL authcid NUL password".
            var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(response.Length)];
            var fields = Base64.DecodeFromUtf8(Encoding.ASCII.GetBytes(response), decoded, out _, out var written) == System.Buffers.OperationStatus.Done
                ? Encoding.UTF8.GetString(decoded, 0, written).Split('\0')
                : [];
            if (fields.Length == 3 && fields[1] == expected.UserName && fields[2] == expected.Password)
            {
                userName = fields[1];
                await ReplyAsync("235 2.7.0 Authentication successful");
            }
            else
            {
                await ReplyAsync("535 5.7.8 Authentication credentials invalid");
            }
        }

        private async Task MailAsync(string argument)
        {
            if (!argument.StartsWith("FROM:", StringComparison.OrdinalIgnoreCase))
            {
                await ReplyAsync("501 5.5.4 Syntax: MAIL FROM:<address>");
                return;
            }

            if (sink.credentials is not null && userName is null)
            {
                await ReplyAsync("530 5.7.0 Authentication required");
                return;
            }

            Reset();
            from = Path(argument[5..]);
            await ReplyAsync("250 2.1.0 OK");
        }

        private async Task RecipientAsync(string argument)
        {
            if (from is null)
            {
                await ReplyAsync("503 5.5.1 MAIL first");
                return;
            }

            if (!argument.StartsWith("TO:", StringComparison.OrdinalIgnoreCase))
            {
                await ReplyAsync("501 5.5.4 Syntax: RCPT TO:<address>");
                return;
            }

            var recipient = Path(argument[3..]);
            if (sink.rejected.Contains(recipient))
            {
                await ReplyAsync($"550 5.1.1 <{recipient}>: Recipient address rejected: User unknown");
                return;
            }

            recipients.Add(recipient);
            await ReplyAsync("250 2.1.5 OK");
        }

        private async Task DataAsync()
        {
            if (from is null || recipients.Count == 0)
            {
                await ReplyAsync(from is null ? "503 5.5.1 MAIL first" : "554 5.5.1 No valid recipients");
                return;
            }

            await ReplyAsync("354 End data with <CR><LF>.<CR><LF>");
            using var data = new MemoryStream();
            while (true)
            {
                var line = await ReadLineAsync() ?? throw new IOException("The client closed the connection during DATA.");
                if (line is [(byte)'.'])
                {
                    break;
                }

                // Dot-stuffing (RFC 5321 4.5.2): a line starting with a dot was sent with one more.
                var content = line is [(byte)'.', ..] ? line.AsSpan(1) : line;
                if (data.Length + content.Length + 2 <= MaxMessageBytes + 1)
                {
                    data.Write(content);
                    data.Write("\r\n"u8);
                }
            }

            if (data.Length > MaxMessageBytes)
            {
                Reset();
                await ReplyAsync("552 5.3.4 Message too big");
                return;
            }

            data.Position = 0;
            var message = await MimeMessage.LoadAsync(data, ct);
            sink.Accept(new ReceivedMail(connectionId, userName, from, [.. recipients], message));
            Reset();
            await ReplyAsync("250 2.0.0 OK queued");
        }

        /// <summary>The address inside <c>&lt;…&gt;</c>, without the ESMTP parameters after it.</summary>
        private static string Path(string value)
        {
            value = value.Trim();
            var open = value.IndexOf('<', StringComparison.Ordinal);
            var close = value.IndexOf('>', StringComparison.Ordinal);
            return open >= 0 && close > open ? value[(open + 1)..close] : value.Split(' ')[0];
        }

        private async Task ReplyAsync(string reply)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), ct);
            await stream.FlushAsync(ct);
        }

        /// <summary>
        /// The next line without its line break, or null at the end of the stream. Buffered, because with PIPELINING
        /// several commands arrive in one packet and each must be answered in turn.
        /// </summary>
        private async Task<byte[]?> ReadLineAsync()
        {
            using var line = new MemoryStream();
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline >= 0)
                {
                    line.Write(buffer, start, newline - start);
                    start = newline + 1;
                    var bytes = line.ToArray();
                    return bytes is [.., (byte)'\r'] ? bytes[..^1] : bytes;
                }

                line.Write(buffer, start, end - start);
                start = end = 0;
                if (line.Length > MaxLineBytes)
                {
                    throw new IOException("The client sent a line longer than the sink accepts.");
                }

                var read = await stream.ReadAsync(buffer, ct);
                if (read == 0)
                {
                    return line.Length == 0 ? null : line.ToArray();
                }

                end = read;
            }
        }
    }
}
