using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenCem.Actions.Cases;
using OpenCem.Actions.Events;
using OpenCem.Actions.Notifications;
using OpenCem.Actions.Rules;
using OpenCem.Actions.Webhooks;
using OpenCem.Analytics.Disconfirmation;
using OpenCem.Analytics.Drivers;
using OpenCem.Analytics.Journeys;
using OpenCem.Analytics.Ladder;
using OpenCem.Analytics.Metrics;
using OpenCem.Customers;
using OpenCem.Customers.Personas;
using OpenCem.Dashboard;
using OpenCem.Feedback.Advocates;
using OpenCem.Feedback.Distribution;
using OpenCem.Feedback.Ideas;
using OpenCem.Feedback.Ideas.Board;
using OpenCem.Feedback.Intercept;
using OpenCem.Feedback.Invitations;
using OpenCem.Feedback.Respondents;
using OpenCem.Feedback.Responses;
using OpenCem.Feedback.Signals;
using OpenCem.Feedback.Surveys;
using OpenCem.Interactions;
using OpenCem.Interactions.Ingestion;
using OpenCem.Operations;
using OpenCem.Operations.Jobs;
using OpenCem.Operations.Partitions;
using OpenCem.Operations.RateLimits;
using OpenCem.Operations.Retention;
using OpenCem.Operations.Telemetry;
using OpenCem.Organisation.Initiatives;
using OpenCem.Organisation.Maturity;
using OpenCem.Organisation.Pulse;
using OpenCem.Organisation.Targets;
using OpenCem.Storage;
using OpenCem.Text;
using OpenCem.Text.Insights;
using OpenCem.Text.Pipeline;
using OpenCem.Text.Themes;
using OpenCem.Value.Churn;
using OpenCem.Value.Equity;
using OpenCem.Value.Fits;
using OpenCem.Value.Transactions;
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

        if (options.Configuration is { } overrides)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var (smtp, distribution) = ReadDistribution(builder.Configuration, options);
        AddOpenCem(builder.Services, options.Database, smtp, distribution);
        AddTextAnalytics(builder.Services, ReadTextOptions(builder.Configuration));
        builder.Services.AddWebhooks(ReadWebhookOptions(builder.Configuration));
        if (options.Time is { } time)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(time));
        }

        builder.Services.AddProblemDetails();
        builder.Services.AddRequestDecompression();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        // Bad input (Hosting/JsonInput.cs): a JSON body naming one property twice is refused while binding.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.AllowDuplicateProperties = false);
        builder.Services.AddExceptionHandler<UndecodableBodyHandler>();
        builder.Services.AddExceptionHandler<BrokenBodyHandler>();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthentication.AdminPolicy, policy => policy.RequireClaim(ApiKeyAuthentication.KindClaim, "admin"));
        // The web dashboard: pages, sign-in, users (Dashboard/DashboardSetup.cs).
        builder.Services.AddDashboard(builder.Configuration);
        builder.Services.AddExceptionHandler<DashboardForbiddenHandler>();
        // The crash bench: an unreachable database answers 503 + Retry-After, not 500 (Hosting/DatabaseUnavailableHandler.cs).
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        // Dashboard pages Customers and Cases (Dashboard/Customers, Dashboard/Cases) and the customer timeline they read.
        builder.Services.AddSingleton<CustomerHistory>();
        builder.Services.AddSingleton<OpenCem.Dashboard.Customers.CustomerPageReader>();
        builder.Services.AddSingleton<OpenCem.Dashboard.Cases.CasePageReader>();
        // Dashboard pages Touchpoints, Drivers, Journeys (Dashboard/Touchpoints, Drivers, Journeys).
        builder.Services.AddSingleton<OpenCem.Dashboard.Touchpoints.TouchpointsReport>();
        builder.Services.AddSingleton<OpenCem.Dashboard.Touchpoints.TouchpointReport>();
        builder.Services.AddSingleton<OpenCem.Dashboard.Drivers.DriversPageReport>();
        builder.Services.AddSingleton<OpenCem.Dashboard.Journeys.JourneysPageReport>();
        // Dashboard pages at 10 million interactions: results remembered per version of the data they read.
        builder.Services.AddSingleton<OpenCem.Analytics.Drivers.SurveyResultCache>();
        // Dashboard pages Text, Value, Surveys (Dashboard/VoicePages.cs).
        builder.Services.AddVoicePages();
        // Experiential modules and brand experience (Text/Experience, Text/Brand) and their dashboard page /experience.
        builder.Services.AddSingleton<OpenCem.Text.Experience.ExperientialBalance>();
        builder.Services.AddSingleton<OpenCem.Text.Brand.BrandValueStore>();
        builder.Services.AddSingleton<OpenCem.Text.Brand.BrandGapReader>();
        builder.Services.AddSingleton<OpenCem.Dashboard.Experience.ExperienceReport>();
        // The public ideas board's rate limits (Feedback/Ideas/Board).
        builder.Services.AddIdeaBoard(builder.Configuration);
        // After the board: chains the public endpoints' limits (tracking, intercept, survey pages) to the board's.
        builder.Services.AddOpenCemTelemetry(builder.Configuration);
        builder.Services.AddPublicLimits(PublicLimitOptions.FromConfiguration(builder.Configuration));
        // Dashboard page Organisation (Dashboard/ServiceOrganisation): targets, the CCCI and initiatives, remembered per workspace.
        builder.Services.AddSingleton<OpenCem.Dashboard.ServiceOrganisation.OrganisationReport>();
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer<OpenApiSecurity>().AddOperationTransformer<OpenApiOperations>());

        var app = builder.Build();
        var links = app.Services.GetRequiredService<SurveyLinks>();
        var publicUrl = options.PublicUrl ?? builder.Configuration["PublicUrl"];
        if (publicUrl is not null)
        {
            if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                throw new ServerConfigurationException(
                    $"Configuration key 'PublicUrl' has the invalid value '{publicUrl}'; expected an absolute http or https address such as https://feedback.example.com.");
            }

            links.BaseUrl = publicUrl;
        }
        else
        {
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                links.BaseUrl = Addresses(app).FirstOrDefault() ?? links.BaseUrl;
                if (smtp is not null)
                {
                    app.Logger.LogWarning("PublicUrl is not configured: survey links in e-mails point at {BaseUrl}, where customers may not reach the server", links.BaseUrl);
                }
            });
        }

        var database = app.Services.GetRequiredService<Database>();
        await SchemaMigrator.MigrateAsync(database, cancellationToken);
        await app.Services.GetRequiredService<WorkspaceStore>().EnsureDefaultAsync(cancellationToken);
        await MetricRollup.RebuildPendingAsync(database, cancellationToken);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestDecompression();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(EmptyJsonBody.GuardAsync);
        app.UseRateLimiter();

        app.MapHealthApi();
        app.MapTrackingApi();
        app.MapInterceptApi();
        app.MapRespondentPages();
        app.MapIdeaBoard();
        var api = app.MapGroup("/api/v1").RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
        api.AddEndpointFilter(JsonInputFilter.InvokeAsync);
        api.MapStatsApi();
        api.MapJobsApi();
        api.MapRetentionApi();
        api.MapInteractionsApi();
        api.MapCatalogueApi();
        api.MapSourcesApi();
        api.MapCustomersApi();
        api.MapIdentityApi();
        api.MapSurveysApi();
        api.MapResponsesApi();
        api.MapResponseImportApi();
        api.MapSignalsApi();
        api.MapInvitationsApi();
        api.MapMetricsApi();
        api.MapTaxonomyApi();
        api.MapAnalyzeApi();
        api.MapThemesApi();
        api.MapDriversApi();
        api.MapDisconfirmationApi();
        api.MapJourneyAnalyticsApi();
        api.MapLadderApi();
        api.MapWebhooksApi();
        api.MapCasesApi();
        api.MapCaseSetupApi();
        api.MapChurnApi();
        api.MapEquityApi();
        api.MapRulesApi();
        api.MapHelpOffersApi();
        api.MapTransactionsApi();
        api.MapClvApi();
        api.MapAssessmentsApi();
        api.MapInitiativesApi();
        api.MapPulseApi();
        api.MapEmployeeLinksApi();
        api.MapTargetsApi();
        OpenCem.Text.Experience.ExperienceApi.MapExperienceApi(api);
        OpenCem.Text.Brand.BrandApi.MapBrandApi(api);
        // Customer ideas board and advocates (Feedback/Ideas, Feedback/Advocates).
        api.MapIdeasApi();
        api.MapAdvocatesApi();
        api.MapPersonasApi();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "OpenCem API v1");
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "OpenCem API reference";
        });
        app.MapDashboard();
        app.MapVoicePages();
        return app;
    }

    /// <summary>
    /// The services of OpenCem on one database, shared by the server and the CLI. Survey distribution runs in the
    /// background: triggers and expiry always, e-mail invitations and reminders only when <paramref name="smtp"/> is given.
    /// </summary>
    public static IServiceCollection AddOpenCem(
        IServiceCollection services, DatabaseTarget target, SmtpOptions? smtp = null, DistributionOptions? distribution = null)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new Database(target));
        // First of the hosted services, so it stops last: the jobs have ended before their leases are given back.
        services.AddSingleton(sp => sp.GetService<IConfiguration>() is { } configuration ? JobLeaseOptions.FromConfiguration(configuration) : new JobLeaseOptions());
        services.AddSingleton<JobLeases>();
        services.AddHostedService(sp => sp.GetRequiredService<JobLeases>());
        services.AddSingleton(sp => sp.GetService<IConfiguration>() is { } configuration ? RetentionOptions.FromConfiguration(configuration) : new RetentionOptions());
        services.AddSingleton<RetentionStore>();
        services.AddSingleton<RetentionPurge>();
        AddPassWorker<RetentionWorker>(services);
        services.AddSingleton(sp => sp.GetService<IConfiguration>() is { } configuration ? PartitionOptions.FromConfiguration(configuration) : new PartitionOptions());
        services.AddSingleton<InteractionPartitioning>();
        if (target.Kind == DatabaseKind.Postgres)
        {
            AddPassWorker<PartitionWorker>(services);
        }
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
        services.AddSingleton<OutboxWake>();
        services.AddSingleton<ResponseWriter>();
        services.AddSingleton<ResponseQueue>();
        services.AddSingleton<SurveyLinks>();
        services.AddSingleton<ContactRulesStore>();
        services.AddSingleton<InvitationStore>();
        services.AddSingleton<InterceptInvitations>();
        services.AddSingleton<ResponseImport>();
        services.AddSingleton<RespondentStore>();
        services.AddSingleton<RespondentVisits>();
        services.AddSingleton<RespondentSubmission>();
        services.AddHostedService(sp => sp.GetRequiredService<ResponseQueue>());
        services.AddSingleton<MetricsSettingsStore>();
        services.AddSingleton<MetricsReader>();
        AddDistribution(services, smtp, distribution ?? new DistributionOptions());
        AddJourneysAndLadder(services);
        AddCases(services);
        AddChurnAndEquity(services);
        services.AddSingleton<PersonaRunner>();
        services.AddSingleton<PersonaQuery>();
        AddRules(services, smtp);
        AddLifetimeValue(services);
        services.AddMaturity();
        services.AddInitiatives();
        AddOrganisation(services);
        services.AddIdeas();
        return services;
    }

    /// <summary>The anonymous employee pulse (minimum group from <c>Pulse:MinimumGroup</c>) and the four strategic targets.</summary>
    private static void AddOrganisation(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetService<IConfiguration>() is { } configuration ? PulseOptions.FromConfiguration(configuration) : new PulseOptions());
        services.AddSingleton<PulseSettingsStore>();
        services.AddSingleton<PulseStore>();
        services.AddSingleton<EmployeeLinks>();
        services.AddSingleton<PulseSummary>();
        services.AddSingleton<StrategicTargets>();
    }

    /// <summary>A background job that works in passes, run by whichever server process holds its lease.</summary>
    private static void AddPassWorker<TWorker>(IServiceCollection services)
        where TWorker : PassWorker
    {
        services.AddSingleton<TWorker>();
        // The factory returns TWorker, not PassWorker: hosted services are told apart by that type, so each worker counts.
        services.AddHostedService(sp => Leased(sp.GetRequiredService<TWorker>(), sp));
    }

    private static TWorker Leased<TWorker>(TWorker worker, IServiceProvider services)
        where TWorker : PassWorker
    {
        worker.LeasedBy(services.GetRequiredService<JobLeases>());
        return worker;
    }

    /// <summary>Case work: reads, changes, recovery, setup, and the clock that escalates SLA breaches and measures recovery.</summary>
    private static void AddCases(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetService<IConfiguration>() is { } configuration ? CaseOptions.FromConfiguration(configuration) : new CaseOptions());
        services.AddSingleton<CaseReader>();
        services.AddSingleton<CaseChanges>();
        services.AddSingleton<CaseRecoveryReport>();
        services.AddSingleton<CaseSetupStore>();
        AddPassWorker<CaseClock>(services);
    }

    /// <summary>Journey analytics and the loyalty ladder: their queries and the workers that keep their tables current.</summary>
    private static void AddJourneysAndLadder(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetService<IConfiguration>() is { } configuration ? JourneyOptions.FromConfiguration(configuration) : new JourneyOptions());
        services.AddSingleton<JourneyQuery>();
        AddPassWorker<JourneyProjector>(services);
        services.AddSingleton<LadderRulesStore>();
        services.AddSingleton<LadderQuery>();
        AddPassWorker<LadderProjector>(services);
    }

    /// <summary>Churn models (trained by a background worker) and the equity report over their stored scores.</summary>
    private static void AddChurnAndEquity(IServiceCollection services)
    {
        services.AddSingleton<ChurnModelStore>();
        services.AddSingleton<ChurnJob>();
        services.AddSingleton<ChurnQuery>();
        AddPassWorker<ChurnWorker>(services);
        services.AddMemoryCache();
        services.AddSingleton<EquityQuery>();
    }

    /// <summary>Rules and their worker; notification e-mails are sent only when SMTP is configured (they wait queued otherwise).</summary>
    private static void AddRules(IServiceCollection services, SmtpOptions? smtp)
    {
        services.AddSingleton<RuleStore>();
        services.AddSingleton<RuleFactsReader>();
        services.AddSingleton<RuleActions>();
        services.AddSingleton(sp => sp.GetService<IConfiguration>() is { } configuration ? RuleOptions.FromConfiguration(configuration) : new RuleOptions());
        services.AddSingleton<RuleEngine>();
        services.AddSingleton<RuleDryRun>();
        AddPassWorker<RuleWorker>(services);
        if (smtp is not null)
        {
            AddPassWorker<NotificationSender>(services);
        }
    }

    /// <summary>Purchase transactions and the CLV fits, with the worker that runs them.</summary>
    private static void AddLifetimeValue(IServiceCollection services)
    {
        services.AddSingleton<TransactionImport>();
        services.AddSingleton<ClvFitStore>();
        services.AddSingleton<ClvFitRunner>();
        AddPassWorker<ClvFitWorker>(services);
    }

    private static void AddDistribution(IServiceCollection services, SmtpOptions? smtp, DistributionOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<DistributionSurveys>();
        services.AddSingleton<InvitationExpiry>();
        services.AddHostedService(sp => sp.GetRequiredService<InvitationExpiry>());
        services.AddSingleton<TriggerFeed>();
        services.AddSingleton<SurveyTriggerScanner>();
        services.AddHostedService(sp => sp.GetRequiredService<SurveyTriggerScanner>());
        if (smtp is not null)
        {
            services.AddSingleton(smtp);
            services.AddSingleton<SurveyMailer>();
            services.AddSingleton<InvitationOutbox>();
            services.AddSingleton<InvitationMailBuilder>();
            services.AddSingleton<InvitationDispatcher>();
            services.AddHostedService(sp => sp.GetRequiredService<InvitationDispatcher>());
        }
    }

    /// <summary>
    /// Text analytics: the taxonomy, the shared analysers, and the worker that analyses every comment and signal in the
    /// background (off when <c>Text:Worker</c> is false; the CLI's reanalyze does the same work).
    /// </summary>
    public static IServiceCollection AddTextAnalytics(IServiceCollection services, TextOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<TextWake>();
        services.AddSingleton<TaxonomyStore>();
        services.AddSingleton<WorkspaceAnalyzers>();
        services.AddSingleton<TextCatchUp>();
        services.AddSingleton<ThemeSuggestions>();
        services.AddSingleton<ThemeInsights>();
        services.AddSingleton<TextAnalysisWorker>();
        if (options.Worker)
        {
            services.AddHostedService(sp => Leased(sp.GetRequiredService<TextAnalysisWorker>(), sp));
        }

        return services;
    }

    private static TextOptions ReadTextOptions(IConfiguration configuration)
    {
        try
        {
            return TextOptions.FromConfiguration(configuration);
        }
        catch (InvalidOperationException exception)
        {
            throw new ServerConfigurationException(exception.Message, exception);
        }
    }

    private static WebhookOptions ReadWebhookOptions(IConfiguration configuration)
    {
        try
        {
            return WebhookOptions.FromConfiguration(configuration);
        }
        catch (InvalidOperationException exception)
        {
            throw new ServerConfigurationException(exception.Message, exception);
        }
    }

    /// <summary>SMTP from the options, else the <c>Smtp</c> section; intervals from the <c>Surveys</c> section.</summary>
    private static (SmtpOptions? Smtp, DistributionOptions Distribution) ReadDistribution(IConfiguration configuration, ServerOptions options)
    {
        try
        {
            return (options.Smtp ?? SmtpOptions.FromConfiguration(configuration), DistributionOptions.FromConfiguration(configuration));
        }
        catch (InvalidOperationException exception)
        {
            throw new ServerConfigurationException(exception.Message, exception);
        }
    }

    /// <summary>The addresses the server listens on once started (with real ports when 0 was asked).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
