using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenCem.Hosting;
using OpenCem.Storage;
using OpenCem.Workspaces;

namespace OpenCem.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var urls = CommonOptions.Urls();
        var smtpHost = new Option<string?>("--smtp-host")
        {
            Description = "The SMTP server that sends survey invitations (configuration key Smtp:Host). Without it, no e-mail is sent.",
        };
        var smtpPort = new Option<int?>("--smtp-port") { Description = "The SMTP server's port (Smtp:Port): 25, 587 or 465. Default 25." };
        var smtpFrom = new Option<string?>("--smtp-from") { Description = "The sender address of invitations (Smtp:From), e.g. feedback@example.com." };
        var publicUrl = new Option<string?>("--public-url")
        {
            Description = "The address customers reach this server at, for survey links (PublicUrl), e.g. https://feedback.example.com.",
        };
        var command = new Command("serve", "Run the OpenCem server. The schema is created or migrated at start-up.")
        {
            db, urls, smtpHost, smtpPort, smtpFrom, publicUrl,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var target = CommonOptions.ResolveDatabase(parse.GetValue(db));
            // The flags set the same configuration keys as appsettings.json and environment variables, and win over them.
            var configuration = new Dictionary<string, string?>();
            Set(configuration, "Smtp:Host", parse.GetValue(smtpHost));
            Set(configuration, "Smtp:Port", parse.GetValue(smtpPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(configuration, "Smtp:From", parse.GetValue(smtpFrom));
            Set(configuration, "PublicUrl", parse.GetValue(publicUrl));
            var options = new ServerOptions(target, parse.GetRequiredValue(urls)) { Configuration = configuration };
            var app = await OpenCemServer.CreateAsync(options, cancellationToken);
            await PrintBootstrapKeyAsync(app);
            await RunAsync(app, target);
            return 0;
        }));
        return command;
    }

    private static void Set(Dictionary<string, string?> configuration, string key, string? value)
    {
        if (value is not null)
        {
            configuration[key] = value;
        }
    }

    /// <summary>On a fresh database nobody holds a key yet: make the first admin key and show it once.</summary>
    private static async Task PrintBootstrapKeyAsync(WebApplication app)
    {
        var workspace = await app.Services.GetRequiredService<WorkspaceStore>().EnsureDefaultAsync();
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        if ((await keys.ListAsync(workspace.Id)).Count > 0)
        {
            return;
        }

        var admin = await keys.CreateAsync(workspace.Id, "bootstrap-admin", ApiKeyKind.Admin);
        Console.WriteLine($"First start: created an admin API key (shown only now): {admin.Secret}");
    }

    public static async Task RunAsync(WebApplication app, DatabaseTarget target)
    {
        await app.StartAsync();
        Console.WriteLine($"OpenCem is serving {target.Kind} database {target.Display}");
        foreach (var address in OpenCemServer.Addresses(app))
        {
            Console.WriteLine($"  listening on {address}   (API reference: {address}/docs)");
        }

        Console.WriteLine("Press Ctrl+C to stop.");
        await app.WaitForShutdownAsync();
    }
}
