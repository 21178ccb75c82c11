using System.Text.Json.Nodes;
using Cronos;
using OpenCem.Actions.Cases;

namespace OpenCem.Actions.Rules;

/// <summary>
/// Reads a rule from its JSON and checks it, pure: every problem is reported under the name of its field
/// (<c>condition</c> with the line and column of the error, <c>actions[1].title</c>, ...).
/// </summary>
public static class RuleReader
{
    public const int MaxActions = 10;

    public static RuleDefinition? Read(JsonNode? body, Dictionary<string, string[]> errors)
    {
        if (body is not JsonObject json)
        {
            errors["body"] = ["a rule is a JSON object: {name, trigger, condition?, actions, enabled?, schedule?, cooldownMinutes?, cooldownScope?}"];
            return null;
        }

        var name = Text(json, "name");
        if (name is null || name.Length > 200)
        {
            errors["name"] = ["a name of 1 to 200 characters is required."];
        }

        var trigger = Text(json, "trigger");
        if (trigger is null || !RuleTriggers.All.Contains(trigger))
        {
            errors["trigger"] = [$"one of {string.Join(", ", RuleTriggers.All)}."];
        }

        var schedule = Text(json, "schedule");
        if (trigger == RuleTriggers.Schedule && ScheduleError(schedule) is { } scheduleError)
        {
            errors["schedule"] = [scheduleError];
        }

        var condition = Text(json, "condition");
        if (condition is not null && RuleCondition.Parse(condition).Error is { } conditionError)
        {
            errors["condition"] = [conditionError.ToString()];
        }

        var enabled = true;
        if (json["enabled"] is { } enabledNode && !(enabledNode is JsonValue v && v.TryGetValue(out enabled)))
        {
            errors["enabled"] = ["true or false."];
        }

        int? cooldown = null;
        if (json["cooldownMinutes"] is { } cooldownNode)
        {
            if (cooldownNode is JsonValue c && c.TryGetValue<int>(out var minutes) && minutes is >= 0 and <= 525_600)
            {
                cooldown = minutes;
            }
            else
            {
                errors["cooldownMinutes"] = ["a whole number of minutes from 0 to 525600."];
            }
        }

        var scope = RuleCooldownScopes.Customer;
        if (json["cooldownScope"] is { } scopeNode)
        {
            if (scopeNode is JsonValue sv && sv.TryGetValue<string>(out var scopeText) && RuleCooldownScopes.All.Contains(scopeText))
            {
                scope = scopeText;
            }
            else
            {
                errors["cooldownScope"] = [$"one of {string.Join(", ", RuleCooldownScopes.All)}: once per customer within the cooldown, or once for the whole rule."];
            }
        }

        var actions = ReadActions(json["actions"], errors);
        return errors.Count > 0 ? null : new RuleDefinition(name!, enabled, trigger!, trigger == RuleTriggers.Schedule ? schedule : null, condition, actions, cooldown, scope);
    }

    /// <summary>The next time a schedule is due after <paramref name="after"/> (UTC), null for a bad expression.</summary>
    public static DateTimeOffset? NextOccurrence(string? schedule, DateTimeOffset after)
    {
        try
        {
            return schedule is null ? null : CronExpression.Parse(schedule).GetNextOccurrence(after, TimeZoneInfo.Utc);
        }
        catch (CronFormatException)
        {
            return null;
        }
    }

    private static string? ScheduleError(string? schedule)
    {
        if (schedule is null)
        {
            return "a schedule trigger needs a cron expression (minute hour day month weekday, UTC), e.g. \"0 7 * * 1\".";
        }

        try
        {
            CronExpression.Parse(schedule);
            return null;
        }
        catch (CronFormatException exception)
        {
            return $"not a cron expression (minute hour day month weekday): {exception.Message}";
        }
    }

    private static List<RuleAction> ReadActions(JsonNode? node, Dictionary<string, string[]> errors)
    {
        var actions = new List<RuleAction>();
        if (node is not JsonArray array || array.Count is 0 or > MaxActions)
        {
            errors["actions"] = [$"a list of 1 to {MaxActions} actions, each {{\"type\": one of {string.Join(", ", RuleActionTypes.All)}, ...}}."];
            return actions;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var field = $"actions[{i}]";
            if (array[i] is not JsonObject item || Text(item, "type") is not { } type || !RuleActionTypes.All.Contains(type))
            {
                errors[$"{field}.type"] = [$"one of {string.Join(", ", RuleActionTypes.All)}."];
                continue;
            }

            var settings = (JsonObject)item.DeepClone();
            settings.Remove("type");
            var action = new RuleAction(type, settings);
            foreach (var (name, message) in ActionErrors(action))
            {
                errors[$"{field}.{name}"] = [message];
            }

            actions.Add(action);
        }

        return actions;
    }

    private static IEnumerable<(string Field, string Message)> ActionErrors(RuleAction action)
    {
        switch (action.Type)
        {
            case RuleActionTypes.OpenCase:
                if (action.Text("title") is not { Length: <= 200 })
                {
                    yield return ("title", "the case's title, 1 to 200 characters.");
                }

                if (action.Settings["priority"] is not null && (action.Text("priority") is not { } priority || !CasePriorities.All.Contains(priority)))
                {
                    yield return ("priority", $"one of {string.Join(", ", CasePriorities.All)}.");
                }

                break;
            case RuleActionTypes.Webhook:
                if (action.Number("webhookId") is not > 0)
                {
                    yield return ("webhookId", "the id of the webhook to call (POST /api/v1/webhooks).");
                }

                break;
            case RuleActionTypes.Email:
                if (action.Text("to") is not { } to || !to.Contains('@', StringComparison.Ordinal) || to.Length > 320)
                {
                    yield return ("to", "the address to notify.");
                }

                if (action.Text("subject") is not { Length: <= 200 })
                {
                    yield return ("subject", "a subject of 1 to 200 characters.");
                }

                break;
            case RuleActionTypes.Tag:
                if (action.Text("tag") is not { Length: <= 100 })
                {
                    yield return ("tag", "a tag of 1 to 100 characters.");
                }

                break;
            case RuleActionTypes.Survey:
                if (action.Number("surveyId") is not > 0)
                {
                    yield return ("surveyId", "the id of the survey to send.");
                }

                if (action.Settings["channel"] is not null && action.Text("channel") is not ("email" or "link"))
                {
                    yield return ("channel", "email (the default) or link.");
                }

                break;
            case RuleActionTypes.HelpOffer:
                if (action.Text("channel") is not { Length: <= 50 })
                {
                    yield return ("channel", "the channel that shows the offer (e.g. web, app, chat).");
                }

                if (action.Text("message") is not { Length: <= 1000 })
                {
                    yield return ("message", "the offer's text, 1 to 1000 characters.");
                }

                if (action.Settings["expiresInMinutes"] is not null && action.Number("expiresInMinutes") is not (> 0 and <= 525_600))
                {
                    yield return ("expiresInMinutes", "minutes from 1 to 525600.");
                }

                break;
        }
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
