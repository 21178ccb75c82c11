using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenCem.Customers;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Respondents;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Signals;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;
using OpenCem.Interactions.Ingestion;
using OpenCem.Operations;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.Hosting;

/// <summary>Composes the OpenCem web server: storage, the tracking API, the management API and the docs.</summary>
public static class OpenCemServer
{
    /// <summary>Builds the server and brings its database to the current schema with a default workspace.</summary>
    public static async Task<WebApplication> CreateAsync(ServerOptions options, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        // A failed start (address in use, bad URL) is reported once by the caller, without the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        AddOpenCem(builder.Services, options.Database);
        builder.Services.AddProblemDetails();
        builder.Services.AddRequestDecompression();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthentication.AdminPolicy, policy => policy.RequireClaim(ApiKeyAuthentication.KindClaim, "admin"));
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer<OpenApiSecurity>().AddOperationTransformer<OpenApiOperations>());

        var app = builder.Build();
        var links = app.Services.GetRequiredService<SurveyLinks>();
        var publicUrl = options.PublicUrl ?? builder.Configuration["PublicUrl"];
        if (publicUrl is not null)
        {
            links.BaseUrl = publicUrl;
        }
        else
        {
            app.Lifetime.ApplicationStarted.Register(() => links.BaseUrl = Addresses(app).FirstOrDefault() ?? links.BaseUrl);
        }

        var database = app.Services.GetRequiredService<Database>();
        await SchemaMigrator.MigrateAsync(database, cancellationToken);
        await app.Services.GetRequiredService<WorkspaceStore>().EnsureDefaultAsync(cancellationToken);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestDecompression();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthApi();
        app.MapTrackingApi();
        app.MapRespondentPages();
        var api = app.MapGroup("/api/v1").RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
        api.MapStatsApi();
        api.MapInteractionsApi();
        api.MapCatalogueApi();
        api.MapSourcesApi();
        api.MapCustomersApi();
        api.MapIdentityApi();
        api.MapSurveysApi();
        api.MapResponsesApi();
        api.MapSignalsApi();
        api.MapInvitationsApi();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "OpenCem API v1");
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "OpenCem API reference";
        });
        app.MapGet("/", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();
        return app;
    }

    /// <summary>The services of OpenCem on one database, shared by the server and the CLI.</summary>
    public static IServiceCollection AddOpenCem(IServiceCollection services, DatabaseTarget target)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new Database(target));
        services.AddSingleton<WorkspaceStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<CatalogueStore>();
        services.AddSingleton<CatalogueCache>();
        services.AddSingleton<InteractionQuery>();
        services.AddSingleton<IdentityService>();
        services.AddSingleton<CustomerProfiles>();
        services.AddSingleton<CustomerExports>();
        services.AddSingleton<ProfileChanges>();
        services.AddSingleton(sp => InteractionWriter.Create(
            sp.GetRequiredService<Database>(), sp.GetRequiredService<CatalogueCache>().Get, sp.GetRequiredService<TimeProvider>()));
        if (target.Kind == DatabaseKind.Sqlite)
        {
            services.AddHostedService<SqliteCheckpointer>();
        }

        services.AddSingleton<IngestionQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionQueue>());
        services.AddSingleton<SurveyStore>();
        services.AddSingleton<SurveySummary>();
        services.AddSingleton<RespondentLookup>();
        services.AddSingleton<ResponseWriter>();
        services.AddSingleton<ResponseQueue>();
        services.AddSingleton<SurveyLinks>();
        services.AddSingleton<ContactRulesStore>();
        services.AddSingleton<InvitationStore>();
        services.AddSingleton<RespondentStore>();
        services.AddSingleton<RespondentVisits>();
        services.AddSingleton<RespondentSubmission>();
        services.AddHostedService(sp => sp.GetRequiredService<ResponseQueue>());
        return services;
    }

    /// <summary>The addresses the server listens on once started (with real ports when 0 was asked).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
