using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenCem.Customers;
using OpenCem.Hosting;

namespace OpenCem.Value.Transactions;

/// <summary><c>POST /api/v1/transactions</c>: purchases from a shop or billing system, for the lifetime value models.</summary>
public static class TransactionsApi
{
    public static RouteGroupBuilder MapTransactionsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/transactions", PostAsync).WithTags("Value")
            .WithSummary("Stores purchases: a JSON array or NDJSON of {customerId | userId | email | customerNumber | phone | identifiers, occurredAt, amount, transactionId?}. "
                + "Nothing is stored when an item is invalid (422 names each field, e.g. [2].amount); a repeated transactionId is stored once; "
                + "an unknown identifier gets a profile; an unknown customerId is rejected by item.")
            .Accepts<string>("application/json", "application/x-ndjson");
        return api;
    }

    private static async Task<Results<Ok<TransactionImportResult>, ProblemHttpResult>> PostAsync(HttpContext context, IdentityService identity, TransactionImport import)
    {
        var workspaceId = ApiKeyAuthentication.WorkspaceOf(context.User);
        string body;
        using (var reader = new StreamReader(context.Request.Body))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var settings = await identity.GetSettingsAsync(workspaceId, context.RequestAborted);
        var errors = new Dictionary<string, string[]>();
        var items = TransactionRequest.Read(body, settings, errors);
        if (errors.Count > 0)
        {
            return errors.ContainsKey("body") ? Problems.Field(400, "body", errors["body"][0]) : Problems.Validation(errors);
        }

        return TypedResults.Ok(await import.ImportAsync(workspaceId, items, "api", [], cancellationToken: context.RequestAborted));
    }
}
