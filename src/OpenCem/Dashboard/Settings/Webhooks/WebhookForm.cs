using Microsoft.AspNetCore.Http;
using OpenCem.Actions.Webhooks;
using static OpenCem.Dashboard.DashboardCulture;

namespace OpenCem.Dashboard.Settings.Webhooks;

/// <summary>
/// A webhook as the settings form holds it: the address, a description, the events ticked or typed as patterns, and
/// whether it is active. Checked with the API's limits and the same checks (<see cref="WebhookEventTypes"/>, <see cref="WebhookUrls"/>).
/// </summary>
public sealed record WebhookForm(string Url, string? Description, IReadOnlyList<string> Events, bool Enabled)
{
    public static readonly WebhookForm Empty = new("", null, [], true);

    /// <summary>The choices shown as check boxes: every event, then each event type.</summary>
    public static IReadOnlyList<string> Choices => [WebhookEventTypes.All, .. Actions.Events.EventTypes.All];

    public static WebhookForm Of(Webhook webhook) => new(webhook.Url, webhook.Description, webhook.Events, webhook.Enabled);

    /// <summary>The posted form: <c>url</c>, <c>description</c>, ticked <c>events</c>, space-separated <c>patterns</c>, <c>enabled</c>.</summary>
    public static WebhookForm Read(IFormCollection form)
    {
        var ticked = form["events"].Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e!.Trim());
        var typed = (SettingsForms.Text(form, "patterns") ?? "").Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return new WebhookForm(
            SettingsForms.Text(form, "url") ?? "", SettingsForms.Text(form, "description"), ticked.Concat(typed).Distinct(StringComparer.Ordinal).ToList(),
            form.ContainsKey("enabled"));
    }

    /// <summary>The patterns not offered as a check box (shown in the text field).</summary>
    public string Patterns => string.Join(' ', Events.Where(e => !Choices.Contains(e)));

    /// <summary>The problems of the form by field (pure part): lengths and event types.</summary>
    public Dictionary<string, string[]> Check()
    {
        var errors = new Dictionary<string, string[]>();
        if (Url.Length == 0)
        {
            errors["url"] = [T("The address is required.", "Die Adresse ist nötig.")];
        }
        else if (Url.Length > WebhooksApi.MaxUrlLength)
        {
            errors["url"] = [T($"At most {WebhooksApi.MaxUrlLength} characters.", $"Höchstens {WebhooksApi.MaxUrlLength} Zeichen.")];
        }

        if (Description is { Length: > WebhooksApi.MaxDescriptionLength })
        {
            errors["description"] = [T($"At most {WebhooksApi.MaxDescriptionLength} characters.", $"Höchstens {WebhooksApi.MaxDescriptionLength} Zeichen.")];
        }

        if (Events.Count is 0 or > WebhooksApi.MaxEventTypes)
        {
            errors["events"] = [T($"Choose 1 to {WebhooksApi.MaxEventTypes} events.", $"Wählen Sie 1 bis {WebhooksApi.MaxEventTypes} Ereignisse.")];
        }
        else if (Events.Select(WebhookEventTypes.Check).OfType<string>().ToList() is { Count: > 0 } problems)
        {
            errors["events"] = [.. problems];
        }

        return errors;
    }

    /// <summary>All problems, the receiver's address checked against the network policy too.</summary>
    public async Task<Dictionary<string, string[]>> CheckAsync(WebhookUrls urls, CancellationToken cancellationToken)
    {
        var errors = Check();
        if (!errors.ContainsKey("url") && await urls.CheckAsync(Url, cancellationToken) is { } problem)
        {
            errors["url"] = [T("The address ", "Die Adresse: ") + problem];
        }

        return errors;
    }
}
