using System.CommandLine;
using System.Globalization;
using OpenCem.Actions.Rules;
using OpenCem.Customers;

namespace OpenCem.Cli;

/// <summary><c>opencem rules list|dry-run|enable|disable</c>: rules from a terminal, through the same services as the API.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var command = new Command("rules", "List rules, test one against past data, switch one on or off.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(DryRun());
        command.Subcommands.Add(Switch("enable", true, "Switch a rule on (a rule paused for failing starts again with no failures counted)."));
        command.Subcommands.Add(Switch("disable", false, "Switch a rule off."));
        return command;
    }

    private static Command List()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var command = new Command("list", "List the rules with their state (on, off, or paused for failing and why).") { db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var context = await ActionsContext.OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var rules = await new RuleStore(context.Database, TimeProvider.System).ListAsync(context.Workspace.Id, cancellationToken);
            Console.WriteLine($"{"ID",-6} {"STATE",-8} {"TRIGGER",-22} NAME");
            foreach (var rule in rules)
            {
                var state = rule.PausedAt is not null ? "paused" : rule.Definition.Enabled ? "on" : "off";
                Console.WriteLine($"{rule.Id,-6} {state,-8} {rule.Definition.Trigger,-22} {rule.Definition.Name}");
                if (rule.PausedAt is not null && rule.LastError is { } error)
                {
                    Console.WriteLine($"       paused {rule.PausedAt:yyyy-MM-dd HH:mm}Z after {rule.Failures} failures: {error}");
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command DryRun()
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var id = new Argument<long>("id") { Description = "The rule id." };
        var from = new Option<string?>("--from") { Description = "Start of the period (ISO 8601, UTC); default: 7 days before --to." };
        var to = new Option<string?>("--to") { Description = "End of the period (ISO 8601, UTC); default: now." };
        var command = new Command("dry-run", "How often the rule would have fired on the stored data in [from, to), per day; acts on nothing.") { id, from, to, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var end = Time(parse.GetValue(to), "--to") ?? DateTimeOffset.UtcNow;
            var start = Time(parse.GetValue(from), "--from") ?? end.AddDays(-7);
            if (start >= end || end - start > TimeSpan.FromDays(800))
            {
                throw new CommandException("--from must be before --to, at most 800 days apart.");
            }

            await using var context = await ActionsContext.OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var rule = await new RuleStore(context.Database, TimeProvider.System).GetAsync(context.Workspace.Id, parse.GetValue(id), cancellationToken)
                ?? throw new CommandException($"No rule has the id {parse.GetValue(id)}.");
            var profiles = new CustomerProfiles(context.Database, new IdentityService(context.Database, TimeProvider.System), TimeProvider.System);
            var result = await new RuleDryRun(context.Database, new RuleFactsReader(profiles)).RunAsync(rule, start, end, cancellationToken);
            Console.WriteLine($"Rule #{rule.Id} \"{rule.Definition.Name}\" {result.Summary} from {start:yyyy-MM-dd HH:mm}Z to {end:yyyy-MM-dd HH:mm}Z.");
            foreach (var day in result.PerDay)
            {
                Console.WriteLine($"  {day.Day:yyyy-MM-dd} {day.Count}");
            }

            if (result.Errors > 0)
            {
                Console.WriteLine($"  {result.Errors} evaluations failed; the first: {result.FirstError}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Switch(string name, bool enabled, string description)
    {
        var db = CommonOptions.Database();
        var workspace = CommonOptions.Workspace();
        var id = new Argument<long>("id") { Description = "The rule id." };
        var command = new Command(name, description) { id, db, workspace };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var context = await ActionsContext.OpenAsync(parse.GetValue(db), parse.GetRequiredValue(workspace), cancellationToken);
            var store = new RuleStore(context.Database, TimeProvider.System);
            var rule = await store.GetAsync(context.Workspace.Id, parse.GetValue(id), cancellationToken)
                ?? throw new CommandException($"No rule has the id {parse.GetValue(id)}.");
            await store.UpdateAsync(context.Workspace.Id, rule.Id, rule.Definition with { Enabled = enabled }, cancellationToken);
            Console.WriteLine($"Rule #{rule.Id} \"{rule.Definition.Name}\" is {(enabled ? "on" : "off")}.");
            return 0;
        }));
        return command;
    }

    private static DateTimeOffset? Time(string? value, string option) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed
        : throw new CommandException($"{option} must be a date or time such as 2026-01-31 or 2026-01-31T12:00:00Z.");
}
