namespace OpenCem.Value.Lifetime;

/// <summary>The data cannot support the fit asked for (too few repeat customers, no holdout ...); names the request field to change.</summary>
public sealed class ClvDataException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
