namespace OpenCem.Organisation.Pulse;

/// <summary>
/// A group of employee answers: a period (a node of <see cref="PulseLattice"/>'s period tree: a quarter, a year, or
/// all) and, per employee attribute, the index of one value (1–255) or 0 for any value. Packed into one word so the
/// whole lattice fits in a few dictionaries.
/// </summary>
public readonly record struct PulseGroup(int Period, ulong Values)
{
    public const int MaxAttributes = 8;
    public const int MaxValues = 255;

    public int Value(int attribute) => (int)((Values >> (attribute * 8)) & 0xFF);

    public PulseGroup With(int attribute, int value) =>
        new(Period, (Values & ~(0xFFUL << (attribute * 8))) | ((ulong)(uint)value << (attribute * 8)));

    public static ulong Pack(ReadOnlySpan<int> values)
    {
        ulong packed = 0;
        for (var i = 0; i < values.Length; i++)
        {
            packed |= (ulong)(uint)values[i] << (i * 8);
        }

        return packed;
    }
}
