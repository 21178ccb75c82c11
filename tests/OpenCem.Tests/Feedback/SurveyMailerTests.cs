using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using MimeKit;
using OpenCem.Feedback.Distribution;
using OpenCem.Tests.Infrastructure;

namespace OpenCem.Tests.Feedback;

public sealed class SurveyMailerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly MailboxAddress Sender = new("Nordwind Telecom", "feedback@nordwind.example");

    private static InvitationMail Mail(
        long id = 1,
        string to = "anna@example.com",
        string? toName = "Anna Schmidt",
        string language = "en",
        string title = "Your router installation",
        bool reminder = false) =>
        new(to, toName, language, title, "Nordwind Telecom", new Uri($"https://survey.example.com/s/{id}?t=abc&lang={language}"), reminder, id);

    private static SmtpOptions Options(int port, string? userName = null, string? password = null) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Security = SmtpSecurity.None,
        From = "feedback@nordwind.example",
        FromName = "Nordwind Telecom",
        UserName = userName,
        Password = password,
    };

    private static string Text(MimeMessage message) => message.TextBody ?? throw new InvalidOperationException("No text part.");

    private static string Html(MimeMessage message) => message.HtmlBody ?? throw new InvalidOperationException("No HTML part.");

    [Fact]
    public void Compose_English_PlainTextAndHtmlAlternative()
    {
        var message = InvitationMailComposer.Compose(Mail(id: 42), Sender);

        Assert.Equal("How was your experience with Nordwind Telecom?", message.Subject);
        var body = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], body.Select(part => part.ContentType.MimeType));
        Assert.StartsWith("Hello Anna Schmidt,", Text(message), StringComparison.Ordinal);
        Assert.Contains("Your router installation", Text(message), StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", Html(message), StringComparison.Ordinal);
        Assert.Contains(">Take the survey</a>", Html(message), StringComparison.Ordinal);
        Assert.Equal("42", message.Headers[InvitationMailComposer.InvitationHeader]);
        Assert.EndsWith("@nordwind.example", message.MessageId, StringComparison.Ordinal);
        Assert.Equal("anna@example.com", Assert.IsType<MailboxAddress>(Assert.Single(message.To)).Address);
        Assert.Equal(Sender, Assert.Single(message.From));
    }

    [Fact]
    public void Compose_German_GermanSubjectAndText()
    {
        var message = InvitationMailComposer.Compose(Mail(language: "de", title: "Ihre Router-Installation"), Sender);

        Assert.Equal("Wie war Ihre Erfahrung mit Nordwind Telecom?", message.Subject);
        Assert.StartsWith("Guten Tag Anna Schmidt,", Text(message), StringComparison.Ordinal);
        Assert.Contains("möchte gerne wissen", Text(message), StringComparison.Ordinal);
        Assert.Contains("Zur Umfrage: https://survey.example.com/", Text(message), StringComparison.Ordinal);
        Assert.Contains("<html lang=\"de\">", Html(message), StringComparison.Ordinal);
        Assert.Contains(">Zur Umfrage</a>", Html(message), StringComparison.Ordinal);
        Assert.Contains("Ihre Router-Installation", Html(message), StringComparison.Ordinal);
        Assert.DoesNotContain("Take the survey", Html(message), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("")]
    [InlineData("EN-gb")]
    public void Compose_OtherLanguage_English(string language)
    {
        var message = InvitationMailComposer.Compose(Mail(language: language), Sender);

        Assert.Equal("How was your experience with Nordwind Telecom?", message.Subject);
    }

    [Fact]
    public void Compose_Reminder_PrefixesSubjectAndSaysSo()
    {
        var english = InvitationMailComposer.Compose(Mail(reminder: true), Sender);
        var german = InvitationMailComposer.Compose(Mail(language: "de", reminder: true), Sender);

        Assert.Equal("Reminder: How was your experience with Nordwind Telecom?", english.Subject);
        Assert.Contains("We recently invited you", Text(english), StringComparison.Ordinal);
        Assert.Equal("Erinnerung: Wie war Ihre Erfahrung mit Nordwind Telecom?", german.Subject);
        Assert.Contains("Wir haben Sie kürzlich", Html(german), StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Link_InBothParts()
    {
        var message = InvitationMailComposer.Compose(Mail(id: 7), Sender);

        Assert.Contains("Take the survey: https://survey.example.com/s/7?t=abc&lang=en", Text(message), StringComparison.Ordinal);
        // In HTML the ampersand of the query is an entity, in the button and in the visible fallback address.
        Assert.Contains("href=\"https://survey.example.com/s/7?t=abc&amp;lang=en\"", Html(message), StringComparison.Ordinal);
        Assert.Equal(2, Html(message).Split("href=\"https://survey.example.com/s/7?t=abc&amp;lang=en\"").Length - 1);
        Assert.DoesNotContain("<img", Html(message), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Compose_TitleWithScript_HtmlEncoded()
    {
        var mail = Mail(title: "<script>alert('x')</script> & more", toName: "Bob <b>") with { CompanyName = "A&B \"Telecom\"" };

        var message = InvitationMailComposer.Compose(mail, Sender);

        var html = Html(message);
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more", html, StringComparison.Ordinal);
        Assert.Contains("A&amp;B &quot;Telecom&quot;", html, StringComparison.Ordinal);
        // The plain-text part shows the title as written.
        Assert.Contains("<script>alert('x')</script> & more", Text(message), StringComparison.Ordinal);
        Assert.Equal("How was your experience with A&B \"Telecom\"?", message.Subject);
    }

    [Fact]
    public void Compose_LineBreakInCompanyName_SubjectStaysOneLine()
    {
        var message = InvitationMailComposer.Compose(Mail() with { CompanyName = "Evil\r\nBcc: victim@example.com" }, Sender);

        Assert.Equal("How was your experience with Evil  Bcc: victim@example.com?", message.Subject);
        Assert.Empty(message.Bcc);
    }

    [Fact]
    public void Compose_JavascriptLink_Throws()
    {
        var mail = Mail() with { Link = new Uri("javascript:alert(1)") };

        Assert.Throws<ArgumentException>(() => InvitationMailComposer.Compose(mail, Sender));
    }

    [Fact]
    public async Task SendAsync_ThreeMails_ArriveOnOneConnection()
    {
        await using var sink = new SmtpSink();
        var mailer = new SurveyMailer(Options(sink.Port));
        InvitationMail[] mails =
        [
            Mail(id: 1, to: "anna@example.com"),
            Mail(id: 2, to: "ben@example.com", toName: null, language: "de"),
            Mail(id: 3, to: "cem@example.com", reminder: true),
        ];

        var outcomes = await mailer.SendAsync(mails, CancellationToken.None);

        Assert.Equal([new(1, true, null), new(2, true, null), new(3, true, null)], outcomes);
        var received = await sink.WaitForAsync(3, Wait);
        Assert.Equal(1, sink.Connections);
        Assert.All(received, mail => Assert.Equal(1, mail.ConnectionId));
        Assert.All(received, mail => Assert.Equal("feedback@nordwind.example", mail.From));
        Assert.Equal(["anna@example.com"], received[0].Recipients);
        Assert.Equal(["ben@example.com"], received[1].Recipients);
        Assert.Equal(["cem@example.com"], received[2].Recipients);
        Assert.Equal("How was your experience with Nordwind Telecom?", received[0].Message.Subject);
        Assert.Equal("Wie war Ihre Erfahrung mit Nordwind Telecom?", received[1].Message.Subject);
        Assert.Equal("Reminder: How was your experience with Nordwind Telecom?", received[2].Message.Subject);
        Assert.StartsWith("Guten Tag,", Text(received[1].Message), StringComparison.Ordinal);
        Assert.Contains("https://survey.example.com/s/3?t=abc&lang=en", Text(received[2].Message), StringComparison.Ordinal);
        Assert.Contains("href=\"https://survey.example.com/s/3?t=abc&amp;lang=en\"", Html(received[2].Message), StringComparison.Ordinal);
        Assert.Equal(["1", "2", "3"], received.Select(mail => mail.Message.Headers[InvitationMailComposer.InvitationHeader]));
        Assert.Equal("Nordwind Telecom", Assert.Single(received[0].Message.From.Mailboxes).Name);
    }

    [Fact]
    public async Task SendAsync_RejectedRecipient_FailsOnlyThatMail()
    {
        await using var sink = new SmtpSink(rejectRecipients: ["gone@example.com"]);
        var mailer = new SurveyMailer(Options(sink.Port));

        var outcomes = await mailer.SendAsync(
            [Mail(id: 1, to: "anna@example.com"), Mail(id: 2, to: "gone@example.com"), Mail(id: 3, to: "cem@example.com")],
            CancellationToken.None);

        Assert.Equal([true, false, true], outcomes.Select(outcome => outcome.Sent));
        Assert.Equal([1L, 2L, 3L], outcomes.Select(outcome => outcome.InvitationId));
        Assert.Null(outcomes[0].Error);
        Assert.StartsWith("550 ", outcomes[1].Error, StringComparison.Ordinal);
        Assert.Contains("gone@example.com", outcomes[1].Error, StringComparison.Ordinal);
        var received = await sink.WaitForAsync(2, Wait);
        Assert.Equal(["anna@example.com", "cem@example.com"], received.Select(mail => Assert.Single(mail.Recipients)));
        Assert.Equal(1, sink.Connections);
    }

    [Fact]
    public async Task SendAsync_MalformedAddress_FailsOnlyThatMail()
    {
        await using var sink = new SmtpSink();
        var mailer = new SurveyMailer(Options(sink.Port));

        var outcomes = await mailer.SendAsync([Mail(id: 1, to: "not an address@@"), Mail(id: 2)], CancellationToken.None);

        Assert.False(outcomes[0].Sent);
        Assert.StartsWith("The invitation cannot be composed", outcomes[0].Error, StringComparison.Ordinal);
        Assert.True(outcomes[1].Sent);
        Assert.Single(await sink.WaitForAsync(1, Wait));
    }

    [Fact]
    public async Task SendAsync_UnreachablePort_AllFailWithError()
    {
        var mailer = new SurveyMailer(Options(UnusedPort()));

        var outcomes = await mailer.SendAsync([Mail(id: 1), Mail(id: 2)], CancellationToken.None);

        Assert.Equal([1L, 2L], outcomes.Select(outcome => outcome.InvitationId));
        Assert.All(outcomes, outcome =>
        {
            Assert.False(outcome.Sent);
            Assert.StartsWith("The SMTP server 127.0.0.1:", outcome.Error, StringComparison.Ordinal);
            Assert.Contains("could not be used", outcome.Error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task SendAsync_UserName_Authenticates()
    {
        await using var sink = new SmtpSink(credentials: ("mailer", "s3cret"));

        var outcomes = await new SurveyMailer(Options(sink.Port, "mailer", "s3cret")).SendAsync([Mail()], CancellationToken.None);

        Assert.True(Assert.Single(outcomes).Sent);
        Assert.Equal("mailer", Assert.Single(await sink.WaitForAsync(1, Wait)).UserName);
    }

    [Fact]
    public async Task SendAsync_WrongPassword_AllFail()
    {
        await using var sink = new SmtpSink(credentials: ("mailer", "s3cret"));

        var outcomes = await new SurveyMailer(Options(sink.Port, "mailer", "wrong")).SendAsync([Mail(id: 1), Mail(id: 2)], CancellationToken.None);

        Assert.All(outcomes, outcome => Assert.False(outcome.Sent));
        Assert.Contains("535", outcomes[0].Error, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task SendAsync_NoUserName_DoesNotAuthenticate()
    {
        // A server that requires a login refuses MAIL FROM; the mailer did not try to log in.
        await using var sink = new SmtpSink(credentials: ("mailer", "s3cret"));

        var outcomes = await new SurveyMailer(Options(sink.Port)).SendAsync([Mail()], CancellationToken.None);

        Assert.False(Assert.Single(outcomes).Sent);
        Assert.Contains("Authentication required", outcomes[0].Error, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task SendAsync_Cancelled_ReturnsNotSentWithoutThrowing()
    {
        await using var sink = new SmtpSink();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var outcomes = await new SurveyMailer(Options(sink.Port)).SendAsync([Mail(id: 1), Mail(id: 2)], cancelled.Token);

        Assert.All(outcomes, outcome => Assert.False(outcome.Sent));
        Assert.Contains("cancelled", outcomes[1].Error, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task SendAsync_NoMails_DoesNotConnect()
    {
        await using var sink = new SmtpSink();

        var outcomes = await new SurveyMailer(Options(sink.Port)).SendAsync([], CancellationToken.None);

        Assert.Empty(outcomes);
        Assert.Equal(0, sink.Connections);
    }

    [Fact]
    public void FromConfiguration_AllKeys_Bound()
    {
        var options = SmtpOptions.FromConfiguration(Configuration(new()
        {
            ["Smtp:Host"] = "mail.example.com",
            ["Smtp:Port"] = "587",
            ["Smtp:Security"] = "starttls",
            ["Smtp:UserName"] = "mailer",
            ["Smtp:Password"] = "s3cret",
            ["Smtp:From"] = "feedback@example.com",
            ["Smtp:FromName"] = "Example Feedback",
        }));

        Assert.Equal(
            new SmtpOptions
            {
                Host = "mail.example.com",
                Port = 587,
                Security = SmtpSecurity.StartTls,
                UserName = "mailer",
                Password = "s3cret",
                From = "feedback@example.com",
                FromName = "Example Feedback",
            },
            options);
        Assert.Equal(MailKit.Security.SecureSocketOptions.StartTls, options!.SocketOptions);
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_OnlyHostAndFrom_Defaults()
    {
        var options = SmtpOptions.FromConfiguration(Configuration(new() { ["Smtp:Host"] = "relay", ["Smtp:From"] = "cx@example.com" }));

        Assert.NotNull(options);
        Assert.Equal(25, options.Port);
        Assert.Equal(SmtpSecurity.Auto, options.Security);
        Assert.Equal(MailKit.Security.SecureSocketOptions.Auto, options.SocketOptions);
        Assert.Null(options.UserName);
        Assert.Equal("OpenCem", options.FromName);
    }

    [Fact]
    public void FromConfiguration_NoHost_Null()
    {
        Assert.Null(SmtpOptions.FromConfiguration(Configuration(new() { ["Smtp:From"] = "cx@example.com" })));
        Assert.Null(SmtpOptions.FromConfiguration(Configuration(new() { ["Smtp:Host"] = " ", ["Smtp:Port"] = "bad" })));
    }

    [Theory]
    [InlineData("Port", "abc")]
    [InlineData("Port", "70000")]
    [InlineData("Port", "0")]
    [InlineData("Security", "Tls")]
    [InlineData("Security", "7")]
    [InlineData("From", "not-an-address")]
    public void FromConfiguration_InvalidValue_ThrowsNamingKey(string key, string value)
    {
        var configuration = Configuration(new() { ["Smtp:Host"] = "relay", ["Smtp:From"] = "cx@example.com", [$"Smtp:{key}"] = value });

        var exception = Assert.Throws<InvalidOperationException>(() => SmtpOptions.FromConfiguration(configuration));

        Assert.Contains($"'Smtp:{key}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains(value, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_HostWithoutFrom_ThrowsNamingFrom()
    {
        var exception = Assert.Throws<InvalidOperationException>(
            () => SmtpOptions.FromConfiguration(Configuration(new() { ["Smtp:Host"] = "relay" })));

        Assert.Contains("'Smtp:From'", exception.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
