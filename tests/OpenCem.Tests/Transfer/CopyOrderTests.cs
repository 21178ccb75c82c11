using OpenCem.Operations.Transfer;

namespace OpenCem.Tests.Transfer;

public sealed class CopyOrderTests
{
    private static StoredTable Table(string name, params string[] references) => new(name, [new StoredColumn("id", StoredColumnType.BigInt, false)], references);

    [Fact]
    public void ReferencedTablesComeFirst_TiesByName()
    {
        var order = CopyOrder.Of([Table("votes", "ideas", "customers"), Table("ideas", "customers", "workspaces"), Table("customers", "workspaces", "customers"), Table("workspaces"), Table("audit")]);

        Assert.Equal(["audit", "workspaces", "customers", "ideas", "votes"], order.Select(t => t.Name));
    }

    [Fact]
    public void ReferenceToATableOutsideTheCopy_IsIgnored()
    {
        Assert.Equal(["a", "b"], CopyOrder.Of([Table("b", "a"), Table("a", "elsewhere")]).Select(t => t.Name));
    }

    [Fact]
    public void Cycle_IsAnErrorNamingIt()
    {
        var error = Assert.Throws<TransferException>(() => CopyOrder.Of([Table("a", "b"), Table("b", "c"), Table("c", "a")]));

        Assert.Contains("a → b → c → a", error.Message);
    }

    [Fact]
    public void ColumnValues_NumberInATextColumnOfSqlite_IsConvertedForPostgres_GarbageIsNamed()
    {
        Assert.Equal(42, ColumnValues.ToPostgres(42L, new StoredColumn("n", StoredColumnType.Integer, false), "t").Value);
        Assert.Equal("7", ColumnValues.ToPostgres(7L, new StoredColumn("s", StoredColumnType.Text, false), "t").Value);
        Assert.Equal(2.0, ColumnValues.ToPostgres(2L, new StoredColumn("d", StoredColumnType.Double, false), "t").Value);

        var error = Assert.Throws<TransferException>(() => ColumnValues.ToPostgres("abc", new StoredColumn("occurred_at", StoredColumnType.BigInt, false), "interactions"));
        Assert.Contains("interactions.occurred_at", error.Message);
    }
}
