using OpenCem.Customers;
using OpenCem.Customers.Storage;

namespace OpenCem.Tests.Customers;

public sealed class IdentifierCodecTests
{
    [Fact]
    public void Identifiers_RoundTrip_AlsoAValueWithLineBreaks_AndThePlainFormStaysReadable()
    {
        Identifier[] plain = [new("userId", "u-1"), new("email", "a@example.com")];
        Assert.Equal("userId:u-1\nemail:a@example.com", IdentifierCodec.Encode(plain));
        Assert.Equal(plain, IdentifierCodec.Decode(IdentifierCodec.Encode(plain)));

        // Found by fuzzing: a userId with line breaks split its line, so its record seemed to lack it and resolution
        // inserted the identifier again (a unique-key failure on every retry).
        Identifier[] broken = [new("userId", "line\r\nbreak\n\"quoted\",comma;semi"), new("anonymousId", "[not json:\n")];
        Assert.Equal(broken, IdentifierCodec.Decode(IdentifierCodec.Encode(broken)));
        Assert.Empty(IdentifierCodec.Decode(IdentifierCodec.Encode([])));
    }
}
