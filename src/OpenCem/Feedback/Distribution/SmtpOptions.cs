using System.Globalization;
using System.Text;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace OpenCem.Feedback.Distribution;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text; only for a relay on the same host or a test sink.</summary>
    None,

    /// <summary>Connect in plain text, then require <c>STARTTLS</c> (submission, port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, port 465).</summary>
    SslOnConnect,

    /// <summary>
    /// MailKit decides: TLS on connect for port 465, otherwise <c>STARTTLS</c> when the server offers it. The default,
    /// because it is right for the usual ports without the operator knowing the difference.
    /// </summary>
    Auto,
}

/// <summary>
/// Where survey invitations are sent from: one SMTP server (the organisation's own relay or a mail provider) and the
/// sender address customers see. Read from the <c>Smtp</c> configuration section, so that the server, the CLI and
/// environment variables (<c>Smtp__Host</c>) all set the same keys; secrets such as <see cref="Password"/> belong in
/// environment variables or user secrets rather than in a committed file.
/// </summary>
public sealed record SmtpOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Smtp";

    /// <summary>The display name used when <see cref="FromName"/> is not configured.</summary>
    public const string DefaultFromName = "OpenCem";

    /// <summary>The SMTP server's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The SMTP port: 25 (relay), 587 (submission with <c>STARTTLS</c>) or 465 (implicit TLS).</summary>
    public int Port { get; init; } = 25;

    public SmtpSecurity Security { get; init; } = SmtpSecurity.Auto;

    /// <summary>The account to authenticate as; no authentication when empty (a relay that trusts this host).</summary>
    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>The sender address (<c>From</c> and the envelope sender), e.g. <c>feedback@example.com</c>.</summary>
    public required string From { get; init; }

    /// <summary>The sender's display name, usually the company's name.</summary>
    public string? FromName { get; init; } = DefaultFromName;

    /// <summary>The sender mailbox for the <c>From</c> header.</summary>
    public MailboxAddress Sender => new(string.IsNullOrWhiteSpace(FromName) ? DefaultFromName : FromName, From);

    /// <summary>The MailKit equivalent of <see cref="Security"/>.</summary>
    public SecureSocketOptions SocketOptions => Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.Auto => SecureSocketOptions.Auto,
    };

    /// <summary>
    /// Reads the <c>Smtp</c> section of <paramref name="configuration"/> (keys <c>Host</c>, <c>Port</c>,
    /// <c>Security</c>, <c>UserName</c>, <c>Password</c>, <c>From</c>, <c>FromName</c>). E-mail is optional, so a
    /// missing or empty <c>Host</c> gives <see langword="null"/> (e-mail distribution off). A value that is present
    /// but wrong throws at start rather than when the first invitation is due.
    /// </summary>
    /// <exception cref="InvalidOperationException">Port, Security or From is invalid; the message names the key.</exception>
    public static SmtpOptions? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var host = section["Host"]?.Trim();
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        return new SmtpOptions
        {
            Host = host,
            Port = ParsePort(section["Port"]),
            Security = ParseSecurity(section["Security"]),
            UserName = Blank(section["UserName"]),
            Password = Blank(section["Password"]),
            From = ParseFrom(section["From"]),
            FromName = Blank(section["FromName"]) ?? DefaultFromName,
        };
    }

    // Records print every property; the password must not reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Host = {Host}, Port = {Port}, Security = {Security}, ");
        builder.Append(CultureInfo.InvariantCulture, $"UserName = {UserName}, Password = {(Password is null ? "" : "***")}, ");
        builder.Append(CultureInfo.InvariantCulture, $"From = {From}, FromName = {FromName}");
        return true;
    }

    private static int ParsePort(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return 25;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw Invalid("Port", value, "a number from 1 to 65535");
    }

    private static SmtpSecurity ParseSecurity(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return SmtpSecurity.Auto;
        }

        // Names only: Enum.TryParse would also take "7" and return an undefined value.
        foreach (var security in Enum.GetValues<SmtpSecurity>())
        {
            if (string.Equals(value.Trim(), security.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return security;
            }
        }

        throw Invalid("Security", value, string.Join(", ", Enum.GetNames<SmtpSecurity>()));
    }

    private static string ParseFrom(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"Configuration key '{SectionName}:From' is required when '{SectionName}:Host' is set: the sender address, e.g. feedback@example.com.");
        }

        return MailboxAddress.TryParse(value.Trim(), out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal)
            && mailbox.Domain.Length > 0 && mailbox.LocalPart.Length > 0
            ? mailbox.Address
            : throw Invalid("From", value, "an e-mail address such as feedback@example.com");
    }

    private static InvalidOperationException Invalid(string key, string value, string expected) =>
        new($"Configuration key '{SectionName}:{key}' has the invalid value '{value}'; expected {expected}.");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
