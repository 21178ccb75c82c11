using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenCem.Workspaces;

namespace OpenCem.Hosting;

/// <summary>
/// Authenticates API keys sent as <c>Authorization: Bearer KEY</c> or, as Segment clients do, as the user name of
/// HTTP Basic with an empty password. The workspace and the key's kind become claims.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string AdminPolicy = "admin";
    public const string WorkspaceClaim = "workspace";
    public const string KindClaim = "key_kind";

    public static string? ReadKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim();
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':');
                return colon < 0 ? decoded : decoded[..colon];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    public static long WorkspaceOf(ClaimsPrincipal user) => long.Parse(user.FindFirstValue(WorkspaceClaim)!, System.Globalization.CultureInfo.InvariantCulture);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var principal = await keys.AuthenticateAsync(key, Context.RequestAborted);
        if (principal is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(WorkspaceClaim, principal.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(KindClaim, ApiKeyStore.KindName(principal.Kind)),
                new Claim(ClaimTypes.NameIdentifier, principal.KeyId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await WriteProblemAsync(401, result.Failure?.Message ?? "Send an admin API key as 'Authorization: Bearer KEY'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(403, "This API key may only send tracking data; use an admin key.");

    private Task WriteProblemAsync(int status, string detail) =>
        Problems.Field(status, "Authorization", detail).ExecuteAsync(Context);
}
