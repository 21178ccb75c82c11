using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using OpenCem.Hosting;
using OpenCem.Workspaces;

namespace OpenCem.Feedback.Intercept;

/// <summary>
/// The web intercept, a public collection API apart from the management API: the script at <c>/intercept.js</c>
/// and, under <c>/intercept/v1</c>, the eligibility check and the answer. Both authenticate with the workspace's
/// write key (<c>writeKey</c> in the body, as the script sends it, or the HTTP Basic user name) and may be called
/// from any origin: the key is public and no cookies are read.
/// </summary>
public static class InterceptApi
{
    public static IEndpointRouteBuilder MapInterceptApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/intercept.js", [HttpMethods.Get, HttpMethods.Head], ServeScript).AddEndpointFilter(AnyOrigin)
            .WithTags("Web intercept").WithSummary("The intercept script a site embeds (cached for an hour, revalidated by ETag).")
            .Produces(StatusCodes.Status200OK, contentType: "text/javascript");
        var group = app.MapGroup("/intercept/v1").WithTags("Web intercept").AddEndpointFilter(AnyOrigin);
        group.MapPost("/eligibility", InterceptEligibilityCheck.HandleAsync)
            .WithSummary("Whether to show a visitor (userId, anonymousId) the survey's intercept; if so its question, comment, texts and a token.")
            .Accepts<InterceptEligibilityRequest>("application/json", "text/plain")
            .Produces<InterceptEligibility>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(422)
            .AddOpenApiOperationTransformer(RequireWriteKey);
        group.MapPost("/responses", InterceptAnswer.HandleAsync)
            .WithSummary("Stores the answer to a shown intercept: {token, answers: {question: value, comment?: text}}; once per token.")
            .Accepts<InterceptAnswerRequest>("application/json", "text/plain")
            .Produces<InterceptAnswered>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(422)
            .AddOpenApiOperationTransformer(RequireWriteKey);
        group.MapMethods("/{**path}", [HttpMethods.Options], Preflight).ExcludeFromDescription();
        return app;
    }

    /// <summary>The caller's workspace key: the Authorization header (Basic or Bearer) or <c>writeKey</c> in the body.</summary>
    internal static async Task<ApiPrincipal?> AuthenticateAsync(HttpContext context, ApiKeyStore keys, JsonElement root)
    {
        var key = ApiKeyAuthentication.ReadKey(context.Request)
            ?? (root.TryGetProperty("writeKey", out var bodyKey) && bodyKey.ValueKind == JsonValueKind.String ? bodyKey.GetString() : null);
        return key is null ? null : await keys.AuthenticateAsync(key, context.RequestAborted);
    }

    internal static IResult Unauthenticated(HttpContext context, JsonElement root) =>
        ApiKeyAuthentication.ReadKey(context.Request) is null && !root.TryGetProperty("writeKey", out _)
            ? Problems.Field(StatusCodes.Status401Unauthorized, "writeKey", "Send the write key as \"writeKey\" in the body (as intercept.js does) or as the user name of HTTP Basic authentication.")
            : Problems.Field(StatusCodes.Status401Unauthorized, "writeKey", "Unknown or revoked write key.");

    private static IResult ServeScript(HttpContext context)
    {
        context.Response.Headers.CacheControl = InterceptScript.CacheControl;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(InterceptScript.Content, InterceptScript.ContentType, entityTag: InterceptScript.ETag);
    }

    private static IResult Preflight(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowMethods = "POST, OPTIONS";
        headers.AccessControlAllowHeaders = "Content-Type, Authorization";
        headers.AccessControlMaxAge = "86400";
        return TypedResults.NoContent();
    }

    /// <summary>Any origin may read every answer, problems included; set as the response starts, so it survives an error page.</summary>
    private static ValueTask<object?> AnyOrigin(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var response = invocation.HttpContext.Response;
        response.OnStarting(() =>
        {
            response.Headers.AccessControlAllowOrigin = "*";
            return Task.CompletedTask;
        });
        return next(invocation);
    }

    private static Task RequireWriteKey(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("writeKey", context.Document)] = [] });
        return Task.CompletedTask;
    }
}
