using System.Globalization;

namespace OpenCem.Hosting;

/// <summary>Keyset pages over a row id: <c>cursor</c> is the last id of the previous page, <c>limit</c> the page size.</summary>
public static class IdPage
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The cursor's id (null for the first page) and the page size; problems go into <paramref name="errors"/>.</summary>
    public static (long? After, int Limit) Parse(string? cursor, string? limit, Dictionary<string, string[]> errors) =>
        Parse(cursor, limit, DefaultLimit, MaxLimit, errors);

    /// <summary>As <see cref="Parse(string?, string?, Dictionary{string, string[]})"/>, for a listing with its own default and largest page.</summary>
    public static (long? After, int Limit) Parse(string? cursor, string? limit, int defaultLimit, int maxLimit, Dictionary<string, string[]> errors)
    {
        long? after = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                after = id;
            }
            else
            {
                errors["cursor"] = ["is not a cursor from a previous page's nextCursor."];
            }
        }

        var pageSize = defaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > maxLimit))
        {
            errors["limit"] = [$"must be a whole number between 1 and {maxLimit}."];
        }

        return (after, pageSize);
    }

    /// <summary>The cursor of the next page: the last row's id when the page is full.</summary>
    public static string? Next(int count, int limit, long lastId) => count == limit ? lastId.ToString(CultureInfo.InvariantCulture) : null;
}
