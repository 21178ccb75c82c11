using System.Text.Json;
using OpenCem.Customers;
using OpenCem.Feedback.Responses;

namespace OpenCem.Value.Transactions;

/// <summary>
/// Reads the body of <c>POST /api/v1/transactions</c>: a JSON array of purchases or NDJSON (one per line). A purchase
/// names its customer as a response names its respondent (customerId, userId, anonymousId, email, customerNumber,
/// phone, identifiers), with <c>occurredAt</c> (ISO 8601, or a date: midnight UTC), <c>amount</c> (a number) and an
/// optional <c>transactionId</c> (stored once; without it the key is derived from customer, time and amount).
/// Every problem is collected with its field path (<c>[2].amount</c>).
/// </summary>
public static class TransactionRequest
{
    public const int MaxItems = 50_000;

    public static List<TransactionItem> Read(string body, IdentitySettings settings, Dictionary<string, string[]> errors)
    {
        var elements = new List<(string Path, JsonElement Element)>();
        var trimmed = body.TrimStart();
        try
        {
            if (trimmed.StartsWith('['))
            {
                using var document = OpenCem.Hosting.JsonInput.Parse(body);
                var i = 0;
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    elements.Add(($"[{i++}]", element.Clone()));
                }
            }
            else
            {
                var line = 0;
                foreach (var text in body.Split('\n'))
                {
                    line++;
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        using var document = OpenCem.Hosting.JsonInput.Parse(text);
                        elements.Add(($"line {line}", document.RootElement.Clone()));
                    }
                }
            }
        }
        catch (JsonException exception)
        {
            errors["body"] = [$"is not a JSON array of purchases nor NDJSON: {exception.Message}"];
            return [];
        }

        if (elements.Count == 0 || elements.Count > MaxItems)
        {
            errors["body"] = [$"must hold between 1 and {MaxItems:N0} purchases (it holds {elements.Count:N0})."];
            return [];
        }

        foreach (var (path, element) in elements)
        {
            if (OpenCem.Hosting.JsonInput.Find(element) is { } bad)
            {
                errors[bad.Field.Length == 0 ? path : path + "." + bad.Field] = [bad.Reason];
            }
        }

        if (errors.Count > 0)
        {
            return [];
        }

        var items = new List<TransactionItem>(elements.Count);
        for (var n = 0; n < elements.Count; n++)
        {
            if (Item(elements[n].Path, n + 1, elements[n].Element, settings, errors) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    private static TransactionItem? Item(string path, long line, JsonElement element, IdentitySettings settings, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors[path] = ["must be an object."];
            return null;
        }

        var own = new Dictionary<string, string[]>();
        var who = RespondentLookup.Read(element, settings, own);
        if (who.IsAnonymous && own.Count == 0)
        {
            own["customerId"] = ["the purchase names no customer: give customerId, userId, email, customerNumber, phone or identifiers."];
        }

        long at = 0;
        if (!element.TryGetProperty("occurredAt", out var occurred) || occurred.ValueKind != JsonValueKind.String
            || !TransactionFile.TryDate(occurred.GetString()!, null, out at))
        {
            own["occurredAt"] = ["must be an ISO 8601 time or a date (yyyy-MM-dd)."];
        }

        double amount = 0;
        if (!element.TryGetProperty("amount", out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out amount) || !double.IsFinite(amount))
        {
            own["amount"] = ["must be a number."];
        }

        string? id = null;
        if (element.TryGetProperty("transactionId", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString()?.Trim() : idElement.ValueKind == JsonValueKind.Number ? idElement.GetRawText() : null;
            if (string.IsNullOrEmpty(id) || id.Length > 200)
            {
                own["transactionId"] = ["must be a non-empty string of at most 200 characters."];
            }
        }

        foreach (var (field, messages) in own)
        {
            errors[$"{path}.{field}"] = messages;
        }

        if (own.Count > 0)
        {
            return null;
        }

        var key = id is not null ? "id:" + id
            : FormattableString.Invariant($"api:{who.CustomerId}|{string.Join(",", who.Identifiers)}|{at}|{amount:R}");
        return new TransactionItem(line, who.CustomerId, who.Identifiers, at, amount, key);
    }
}
