using System.Data.Common;
using Dapper;

namespace OpenCem.Actions.Rules;

/// <summary>
/// The customers one occurrence of a schedule rule selects: <see cref="Selected"/> (at most the configured bound, in
/// customer id order) of <see cref="Matched"/>, out of <see cref="Scanned"/> customers evaluated.
/// </summary>
public sealed record CustomerSelection(long Scanned, long Matched, IReadOnlyList<long> Selected, long Errors, string? FirstError)
{
    /// <summary>Selected customers beyond the bound: reported in the run log, left for a later occurrence.</summary>
    public long Overflow => Matched - Selected.Count;
}

/// <summary>
/// Evaluates a schedule rule's customer condition for every customer of the workspace (not erased), a page at a time,
/// read-only and outside any write transaction. Customers still cooling down for the rule are not selected, so they
/// do not take places under the bound.
/// </summary>
public static class ScheduledCustomers
{
    private const int PageSize = 500;

    public static async Task<CustomerSelection> SelectAsync(
        DbConnection connection, RuleFactsReader facts, StoredRule rule, RuleCondition condition, DateTimeOffset tick, int bound, long now, CancellationToken cancellationToken)
    {
        var selected = new List<long>();
        long scanned = 0, matched = 0, errors = 0, after = 0;
        string? firstError = null;
        var cooldown = rule.Definition.CooldownMinutes is > 0 and var minutes ? now - (minutes * 60_000L) : (long?)null;
        if (cooldown is { } ruleSince && rule.Definition.CooldownScope == RuleCooldownScopes.Rule
            && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rule_firings WHERE rule_id = @Id AND fired_at > @ruleSince", new { rule.Id, ruleSince }) > 0)
        {
            return new CustomerSelection(0, 0, [], 0, null);
        }

        while (true)
        {
            var page = (await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM customers WHERE workspace_id = @ws AND erased_at IS NULL AND id > @after ORDER BY id LIMIT @PageSize",
                new { ws = rule.WorkspaceId, after, PageSize }, cancellationToken: cancellationToken))).ToList();
            if (page.Count == 0)
            {
                break;
            }

            var cooling = cooldown is { } since && rule.Definition.CooldownScope == RuleCooldownScopes.Customer
                ? (await connection.QueryAsync<long>(new CommandDefinition(
                    "SELECT DISTINCT customer_id FROM rule_firings WHERE rule_id = @Id AND customer_id > @after AND customer_id <= @last AND fired_at > @since",
                    new { rule.Id, after, last = page[^1], since }, cancellationToken: cancellationToken))).ToHashSet()
                : [];
            foreach (var customerId in page)
            {
                scanned++;
                var subject = RuleSubject.Scheduled(rule.WorkspaceId, tick, customerId);
                var verdict = RuleEvaluator.Evaluate(condition, await facts.FactsAsync(connection, null, subject, condition, cancellationToken));
                if (verdict.Error is not null)
                {
                    errors++;
                    firstError ??= $"customer {customerId}: {verdict.Error}";
                }
                else if (verdict.Holds && !cooling.Contains(customerId))
                {
                    matched++;
                    if (selected.Count < bound)
                    {
                        selected.Add(customerId);
                    }
                }
            }

            after = page[^1];
        }

        return new CustomerSelection(scanned, matched, selected, errors, firstError);
    }
}
