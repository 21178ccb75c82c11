using System.CommandLine;
using OpenCem.Actions.Cases;

namespace OpenCem.Cli;

/// <summary><c>opencem cases list|show|transition</c>: the case queue from a terminal, through the same services as the API.</summary>
internal static class CasesCommand
{
    public static Command Create()
    {
        var command = new Command("cases", "List cases, show one with its notes and audit trail, move one through its life cycle.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Transition());
        return command;
    }

    private static Command List()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var status = new Option<string?>("--status") { Description = "Only cases in this status." };
        status.AcceptOnlyFromAmong([.. CaseStatuses.All]);
        var team = new Option<string?>("--team") { Description = "Only cases of this team." };
        var breached = new Option<bool>("--breached") { Description = "Only cases past an SLA deadline." };
        var limit = new Option<int>("--limit") { Description = "At most this many cases (1 to 500).", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List cases, newest first.") { status, team, breached, limit, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var count = parse.GetValue(limit);
            if (count is < 1 or > 500)
            {
                throw new CommandException("--limit must be from 1 to 500.");
            }

            await using var context = await ActionsContext.OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var query = new CaseQuery(parse.GetValue(status), parse.GetValue(team), Breached: parse.GetValue(breached) ? true : null, Limit: count);
            var page = await new CaseReader(context.Database, TimeProvider.System).ListAsync(context.Workspace.Id, query, cancellationToken);
            Console.WriteLine($"{"ID",-7} {"STATUS",-21} {"PRIORITY",-8} {"LEVEL",-5} {"TEAM",-12} {"OWNER",-12} TITLE");
            foreach (var c in page.Cases)
            {
                Console.WriteLine($"{c.Id,-7} {c.Status,-21} {c.Priority,-8} {c.EscalationLevel,-5} {c.Team ?? "-",-12} {c.Owner ?? "-",-12} {c.Title}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var id = new Argument<long>("id") { Description = "The case id." };
        var command = new Command("show", "Show one case: its fields, SLA clock, notes and audit trail.") { id, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var context = await ActionsContext.OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var detail = await new CaseReader(context.Database, TimeProvider.System).GetAsync(context.Workspace.Id, parse.GetValue(id), cancellationToken)
                ?? throw new CommandException($"No case has the id {parse.GetValue(id)}.");
            var c = detail.Case;
            Console.WriteLine($"Case #{c.Id}: {c.Title}");
            Console.WriteLine($"  status {c.Status}, priority {c.Priority}, team {c.Team ?? "-"}, owner {c.Owner ?? "-"}, escalation level {c.EscalationLevel}");
            Console.WriteLine($"  opened {c.CreatedAt:yyyy-MM-dd HH:mm}Z, resolution due {c.ResolutionDueAt:yyyy-MM-dd HH:mm}Z, breached {(c.Sla.Breached ? c.Breach ?? "yes" : "no")}");
            if (c.CustomerId is { } customer)
            {
                Console.WriteLine($"  customer {customer}");
            }

            foreach (var note in detail.Notes)
            {
                Console.WriteLine($"  note {note.CreatedAt:yyyy-MM-dd HH:mm}Z {note.Author}: {note.Text}");
            }

            Console.WriteLine("Audit trail:");
            foreach (var entry in detail.Audit)
            {
                Console.WriteLine($"  {entry.At:yyyy-MM-dd HH:mm:ss}Z {entry.Actor,-10} {entry.Field}: {entry.From ?? "-"} → {entry.To ?? "-"}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Transition()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var id = new Argument<long>("id") { Description = "The case id." };
        var to = new Argument<string>("to") { Description = $"The new status: {string.Join(", ", CaseStatuses.All)}." };
        var outcome = new Option<string?>("--outcome") { Description = $"The outcome when resolving or closing: {string.Join(", ", CaseOutcomes.All)}." };
        var note = new Option<string?>("--note") { Description = "A note to add with the change." };
        var actor = new Option<string>("--actor") { Description = "Who makes the change (audit trail).", DefaultValueFactory = _ => "cli" };
        var command = new Command("transition", "Move a case to another status; refused transitions list the allowed ones.") { id, to, outcome, note, actor, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var context = await ActionsContext.OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var changes = new CaseChanges(context.Database, TimeProvider.System);
            var result = await changes.TransitionAsync(
                context.Workspace.Id, parse.GetValue(id), new CaseTransition(parse.GetRequiredValue(to), Outcome: parse.GetValue(outcome), Note: parse.GetValue(note)),
                parse.GetRequiredValue(actor), cancellationToken);
            if (result.Case is not { } changed)
            {
                throw new CommandException($"{result.Field}: {result.Message}");
            }

            Console.WriteLine($"Case #{changed.Id} is now {changed.Status} (owner {changed.Owner ?? "-"}).");
            return 0;
        }));
        return command;
    }
}
