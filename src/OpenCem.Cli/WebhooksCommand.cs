using System.CommandLine;
using OpenCem.Actions.Webhooks;

namespace OpenCem.Cli;

/// <summary><c>opencem webhooks list|deliveries|redeliver</c>: subscriptions and their dead-letter list from a terminal.</summary>
internal static class WebhooksCommand
{
    public static Command Create()
    {
        var command = new Command("webhooks", "List webhooks, their deliveries (status dead: the dead-letter list), and send a delivery again.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Deliveries());
        command.Subcommands.Add(Redeliver());
        return command;
    }

    private static Command List()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("list", "List the webhooks (never their secrets).") { db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var context = await ActionsContext.OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var webhooks = await new WebhookStore(context.Database, TimeProvider.System).ListAsync(context.Workspace.Id, cancellationToken);
            Console.WriteLine($"{"ID",-6} {"STATE",-7} {"EVENTS",-30} URL");
            foreach (var webhook in webhooks)
            {
                Console.WriteLine($"{webhook.Id,-6} {(webhook.Enabled ? "on" : "paused"),-7} {string.Join(' ', webhook.Events),-30} {webhook.Url}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Deliveries()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var id = new Argument<long>("webhook") { Description = "The webhook id." };
        var status = new Option<string?>("--status") { Description = "Only deliveries in this status (dead: the dead-letter list)." };
        status.AcceptOnlyFromAmong([.. DeliveryStatus.All]);
        var limit = new Option<int>("--limit") { Description = "At most this many (1 to 500).", DefaultValueFactory = _ => 50 };
        var command = new Command("deliveries", "List a webhook's deliveries, newest first.") { id, status, limit, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            if (parse.GetValue(limit) is < 1 or > 500)
            {
                throw new CommandException("--limit must be from 1 to 500.");
            }

            await using var context = await ActionsContext.OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            if (await new WebhookStore(context.Database, TimeProvider.System).GetAsync(context.Workspace.Id, parse.GetValue(id), cancellationToken) is null)
            {
                throw new CommandException($"No webhook has the id {parse.GetValue(id)}.");
            }

            var deliveries = new WebhookDeliveries(context.Database, new WebhookOptions(), TimeProvider.System);
            var page = await deliveries.ListAsync(context.Workspace.Id, parse.GetValue(id), parse.GetValue(status), null, parse.GetValue(limit), cancellationToken);
            Console.WriteLine($"{"ID",-8} {"STATUS",-11} {"TRIES",-5} {"EVENT",-20} LAST ERROR");
            foreach (var delivery in page)
            {
                Console.WriteLine($"{delivery.Id,-8} {delivery.Status,-11} {delivery.Attempts,-5} {delivery.EventType,-20} {delivery.LastError ?? "-"}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Redeliver()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var id = new Argument<long>("delivery") { Description = "The delivery id." };
        var command = new Command("redeliver", "Queue a delivery (dead ones too) to be sent again now by the running server.") { id, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var context = await ActionsContext.OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var deliveries = new WebhookDeliveries(context.Database, new WebhookOptions(), TimeProvider.System);
            if (await deliveries.GetAsync(context.Workspace.Id, parse.GetValue(id), cancellationToken) is null)
            {
                throw new CommandException($"No delivery has the id {parse.GetValue(id)}.");
            }

            if (!await deliveries.RedeliverAsync(context.Workspace.Id, parse.GetValue(id), cancellationToken))
            {
                throw new CommandException("An attempt of this delivery is in flight; redeliver it once it has ended.");
            }

            Console.WriteLine($"Delivery #{parse.GetValue(id)} is due again; the server sends it within its poll interval.");
            return 0;
        }));
        return command;
    }
}
