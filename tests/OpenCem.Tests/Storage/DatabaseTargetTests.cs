using Npgsql;
using OpenCem.Storage;

namespace OpenCem.Tests.Storage;

public sealed class DatabaseTargetTests
{
    [Fact]
    public void Parse_Nothing_IsTheDefaultSqliteFile()
    {
        var target = DatabaseTarget.Parse(null);
        Assert.Equal(DatabaseKind.Sqlite, target.Kind);
        Assert.Equal(Path.GetFullPath("./opencem.db"), target.Display);
    }

    [Theory]
    [InlineData("postgres://ann:s%40cret@db.example:6543/cx?sslmode=disable", "db.example", 6543, "cx", "ann", "s@cret")]
    [InlineData("postgresql://localhost/opencem", "localhost", 5432, "opencem", null, null)]
    [InlineData("Host=127.0.0.1;Port=5433;Database=x;Username=u;Password=p", "127.0.0.1", 5433, "x", "u", "p")]
    public void Parse_PostgresForms_GiveConnectionStrings(string text, string host, int port, string database, string? user, string? password)
    {
        var target = DatabaseTarget.Parse(text);
        Assert.Equal(DatabaseKind.Postgres, target.Kind);
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(database, builder.Database);
        Assert.Equal(user, builder.Username);
        Assert.Equal(password, builder.Password);
        Assert.DoesNotContain("p", target.Display.Split(';').Where(p => p.StartsWith("Password", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Parse_SqliteInMissingFolder_ThrowsClearly()
    {
        var error = Assert.Throws<ArgumentException>(() => DatabaseTarget.Parse("/no/such/folder/opencem.db"));
        Assert.Contains("/no/such/folder", error.Message);
    }

    [Fact]
    public void Parse_BadPostgresString_ThrowsClearly()
    {
        Assert.ThrowsAny<ArgumentException>(() => DatabaseTarget.Parse("Host=x;Bogus Setting=1"));
    }
}
