using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OpenCem.Demo;
using OpenCem.Hosting;
using OpenCem.Operations;
using OpenCem.Storage;
using OpenCem.Workspaces;
using OpenCem.Workspaces.Users;
using Spectre.Console;

namespace OpenCem.Cli;

internal static class DemoCommand
{
    public const string DefaultDatabase = "./opencem-demo.db";

    public static Command Create()
    {
        var db = CommonOptions.Database(DefaultDatabase);
        var urls = CommonOptions.Urls();
        var customers = new Option<int>("--customers") { Description = "How many customers the demo company has.", DefaultValueFactory = _ => 20_000 };
        customers.Validators.Add(r =>
        {
            if (r.GetValue(customers) is < 1 or > 2_000_000)
            {
                r.AddError("--customers must be between 1 and 2,000,000.");
            }
        });
        var seed = new Option<int>("--seed") { Description = "The seed of the generator: the same seed gives the same company.", DefaultValueFactory = _ => 42 };
        var noServe = new Option<bool>("--no-serve") { Description = "Load the demo data and exit instead of serving it." };
        var command = new Command("demo", "Create a demo telecom company (customers, touchpoints, journeys, two years of interactions, surveys with responses, signals) and serve it.")
        {
            db, urls, customers, seed, noServe,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var target = CommonOptions.ResolveDatabase(parse.GetValue(db), DefaultDatabase);
            var options = new DemoOptions(parse.GetValue(customers), parse.GetValue(seed));
            var app = await OpenCemServer.CreateAsync(new ServerOptions(target, parse.GetRequiredValue(urls)), cancellationToken);
            var database = app.Services.GetRequiredService<Database>();
            var workspace = await app.Services.GetRequiredService<WorkspaceStore>().EnsureDefaultAsync(cancellationToken);
            await LoadUnlessPresentAsync(database, workspace, options, target, cancellationToken);

            var stats = await StatsApi.ReadAsync(database, workspace.Id, cancellationToken);
            var keys = app.Services.GetRequiredService<ApiKeyStore>();
            var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
            var admin = await keys.CreateAsync(workspace.Id, $"demo-admin-{stamp}", ApiKeyKind.Admin, cancellationToken);
            var write = await keys.CreateAsync(workspace.Id, $"demo-write-{stamp}", ApiKeyKind.Write, cancellationToken);
            Console.WriteLine();
            Console.WriteLine($"OpenCem demo: a telecom provider with {stats.Customers:N0} customer profiles (prospects included), {stats.Interactions:N0} interactions, {stats.Touchpoints} touchpoints and {stats.Journeys} journeys.");
            Console.WriteLine($"  Admin API key: {admin.Secret}");
            Console.WriteLine($"  Write key:     {write.Secret}");
            await using (var users = new StandaloneUsers(database))
            {
                await DemoUsers.EnsureAsync(users.Directory, workspace.Id, options.Seed, cancellationToken);
            }

            var dashboard = parse.GetRequiredValue(urls).Split(';')[0].TrimEnd('/');
            Console.WriteLine($"  Dashboard:     {dashboard}/sign-in  as {DemoUsers.Email(DashboardRoles.Admin)} / {DemoUsers.Password(DashboardRoles.Admin, options.Seed)} (also analyst@, agent@, viewer@ with demo-ROLE-{options.Seed})");
            if (parse.GetValue(noServe))
            {
                return 0;
            }

            var url = parse.GetRequiredValue(urls).Split(';')[0].TrimEnd('/');
            Console.WriteLine($"  Try:           curl -H \"Authorization: Bearer {admin.Secret}\" {url}/api/v1/stats");
            Console.WriteLine($"  Send an event: curl -u {write.Secret}: {url}/v1/track -d '{{\"userId\":\"cust-000001\",\"event\":\"Bill Viewed\"}}'");
            Console.WriteLine();
            await ServeCommand.RunAsync(app, target);
            return 0;
        }));
        return command;
    }

    private static async Task LoadUnlessPresentAsync(Database database, Workspace workspace, DemoOptions options, DatabaseTarget target, CancellationToken cancellationToken)
    {
        var loader = new DemoLoader(database, TimeProvider.System);
        var marker = await loader.ReadMarkerAsync(workspace.Id, cancellationToken);
        if (marker is { Complete: false })
        {
            throw new CommandException($"An earlier demo load into {target.Display} was interrupted. Delete it (or pass another --db) and run the demo again.");
        }

        if (marker is not null)
        {
            if (marker.Customers != options.Customers || marker.Seed != options.Seed)
            {
                throw new CommandException(
                    $"{target.Display} already holds a demo with {marker.Customers:N0} customers and seed {marker.Seed}. Delete it or pass another --db.");
            }

            Console.WriteLine($"The demo company is already in {target.Display} (generated up to {marker.AsOf:yyyy-MM-dd}); serving it.");
            return;
        }

        if ((await StatsApi.ReadAsync(database, workspace.Id, cancellationToken)).Interactions > 0)
        {
            throw new CommandException($"{target.Display} holds data that is not a demo; the demo will not mix into it. Pass another --db.");
        }

        DemoLoadResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Generating {options.Customers:N0} customers into {target.Kind}", maxValue: options.Customers);
                var progress = new Progress<int>(done => task.Value = done);
                result = await loader.LoadAsync(workspace.Id, options, progress, cancellationToken);
                task.Value = options.Customers;
            });
        Console.WriteLine(
            $"Stored {result!.Interactions:N0} interactions of {result.Customers:N0} customers, {result.Responses:N0} survey responses and {result.Signals:N0} signals in {result.Elapsed.TotalSeconds:N1} s.");
    }
}
