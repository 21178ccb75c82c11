using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenCem.Dashboard.Components;

/// <summary>Links to the current page with some query parameters changed (null removes one), the rest kept.</summary>
public static class QueryLinks
{
    public static string With(HttpContext? context, params (string Key, string? Value)[] changes)
    {
        var path = context?.Request.Path.Value ?? "/";
        var query = context?.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal) ?? [];
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                query.Remove(key);
            }
            else
            {
                query[key] = value;
            }
        }

        return QueryHelpers.AddQueryString(path, query.Where(q => q.Value.Length > 0).Select(q => new KeyValuePair<string, string?>(q.Key, q.Value)));
    }
}
