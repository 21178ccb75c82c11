using System.Text;
using OpenCem.Actions.Rules;

namespace OpenCem.Actions.Notifications;

/// <summary>The default wording of a rule's notification: which rule fired, on what, for whom. Pure.</summary>
public static class NotificationText
{
    public static string Body(string ruleName, RuleSubject subject)
    {
        var text = new StringBuilder();
        text.Append("The rule \"").Append(ruleName).Append("\" fired on ").Append(subject.Trigger)
            .Append(" (").Append(subject.SourceKind).Append(' ').Append(subject.SourceId).Append(") at ")
            .Append(subject.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture)).AppendLine(".");
        if (subject.CustomerId is { } customer)
        {
            text.Append("Customer: ").Append(customer).AppendLine(".");
        }

        return text.ToString();
    }
}
