using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OpenCem.Hosting;

/// <summary>Describes the two ways to authenticate: write keys for tracking, admin keys for the management API.</summary>
internal sealed class OpenApiSecurity : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "OpenCem API";
        document.Info.Description = "Customer Experience Management. Tracking calls (`/v1/...`) speak the Segment HTTP tracking API and " +
            "authenticate with a write key as the HTTP Basic user name; the management API (`/api/v1/...`) takes an admin key as a Bearer token.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["writeKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "The write key as the user name, an empty password.",
        };
        document.Components.SecuritySchemes["adminKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An admin API key: Authorization: Bearer KEY.",
        };
        return Task.CompletedTask;
    }
}
