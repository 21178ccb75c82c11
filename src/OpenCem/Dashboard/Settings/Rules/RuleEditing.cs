using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenCem.Actions.Rules;

namespace OpenCem.Dashboard.Settings.Rules;

/// <summary>What the rules page shows of a rule's run-time state.</summary>
public enum RuleState
{
    Active,

    /// <summary>Switched on but its last runs failed (it pauses itself after too many).</summary>
    Failing,

    Paused,
    Disabled,
}

/// <summary>
/// A rule's definition as the editor's JSON text and back, pure. Reading goes through <see cref="RuleReader"/>, the code
/// the API uses, so the page reports the same problems under the same field names.
/// </summary>
public static class RuleEditing
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string Template =
        """
        {
          "name": "New rule",
          "trigger": "response.submitted",
          "condition": "response.nps !== null && response.nps <= 6",
          "actions": [{ "type": "tag", "tag": "detractor" }],
          "enabled": false
        }
        """;

    public static RuleState State(StoredRule rule) =>
        rule.PausedAt is not null ? RuleState.Paused
        : !rule.Definition.Enabled ? RuleState.Disabled
        : rule.Failures > 0 ? RuleState.Failing
        : RuleState.Active;

    /// <summary>The definition as the API takes it: name, trigger, schedule, condition, actions, cooldownMinutes, enabled.</summary>
    public static string Json(RuleDefinition rule)
    {
        var json = new JsonObject { ["name"] = rule.Name, ["trigger"] = rule.Trigger };
        if (rule.Schedule is not null)
        {
            json["schedule"] = rule.Schedule;
        }

        if (rule.Condition is not null)
        {
            json["condition"] = rule.Condition;
        }

        json["actions"] = JsonNode.Parse(RuleStore.ActionsJson(rule.Actions));
        if (rule.CooldownMinutes is { } cooldown)
        {
            json["cooldownMinutes"] = cooldown;
        }

        json["enabled"] = rule.Enabled;
        return json.ToJsonString(Indented);
    }

    /// <summary>The rule in <paramref name="text"/>, or null with the problems by field (<c>body</c> for text that is not JSON).</summary>
    public static RuleDefinition? Read(string? text, Dictionary<string, string[]> errors)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(string.IsNullOrWhiteSpace(text) ? "null" : text);
        }
        catch (JsonException e)
        {
            errors["body"] = [$"not JSON: {e.Message}"];
            return null;
        }

        return RuleReader.Read(node, errors);
    }
}
