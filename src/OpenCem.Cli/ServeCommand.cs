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
        var command = new Command("serve", "Run the OpenCem server. The schema is created or migrated at start-up.") { db, urls };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var target = CommonOptions.ResolveDatabase(parse.GetValue(db));
            var app = await OpenCemServer.CreateAsync(new ServerOptions(target, parse.GetRequiredValue(urls)), cancellationToken);
            await PrintBootstrapKeyAsync(app);
            await RunAsync(app, target);
            return 0;
        }));
        return command;
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
