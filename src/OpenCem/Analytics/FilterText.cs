namespace OpenCem.Analytics;

/// <summary>The one syntax of the analytics endpoints' <c>filter</c> parameter: <c>FIELD:VALUE</c>, both trimmed.</summary>
public static class FilterText
{
    /// <summary>Splits at the first colon; false when there is no field or no value.</summary>
    public static bool TrySplit(string? text, out string field, out string value)
    {
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            field = value = "";
            return false;
        }

        field = text[..colon].Trim();
        value = text[(colon + 1)..].Trim();
        return true;
    }
}
