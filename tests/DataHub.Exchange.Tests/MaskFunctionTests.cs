using System.Text;
using DataHub.DuckDb;
using DataHub.Exchange.Masking;

namespace DataHub.Exchange.Tests;

public sealed class MaskFunctionTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("exchange-test-key-0123456789");

    private static readonly string?[] Values =
    [
        "张三丰", "张", "𠮷野家", "340102198403157731", "340102840315773", "13812345678", "1381234",
        "安徽省合肥市肥东县八斗镇红星社区店忠路832号", "合肥市蜀山区长江西路100号", "长江西路100号", "", null,
    ];

    private static DuckDbConnection OpenWithValues()
    {
        var duck = new DuckDbConnection();
        duck.Open();
        MaskFunctions.Register(duck, Key);
        using var create = new DuckDbCommand("CREATE TABLE v (i INTEGER, s VARCHAR)", duck);
        create.ExecuteNonQuery();
        for (var i = 0; i < Values.Length; i++)
        {
            using var insert = new DuckDbCommand("INSERT INTO v VALUES ($i, $s)", duck);
            insert.Parameters.Add("i", i);
            insert.Parameters.Add("s", Values[i]);
            insert.ExecuteNonQuery();
        }

        return duck;
    }

    [Fact]
    public void Duckdb_functions_give_what_the_csharp_masks_give_over_a_table()
    {
        using var duck = OpenWithValues();
        using var command = new DuckDbCommand(
            """
            SELECT i, dh_mask_name(s), dh_mask_id(s), dh_mask_phone(s), dh_mask_address(s), dh_mask_address_county(s),
                   dh_mask_keep(s, 2, 1), dh_mask_hash(s, 'exchange-test-key-0123456789'), dh_mask_pseudonym(s)
            FROM v ORDER BY i
            """, duck);
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            var value = Values[reader.GetInt32(0)];
            string? At(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
            Assert.Equal(Masks.Name(value), At(1));
            Assert.Equal(Masks.CitizenId(value), At(2));
            Assert.Equal(Masks.Phone(value), At(3));
            Assert.Equal(Masks.Address(value), At(4));
            Assert.Equal(Masks.Address(value, AddressCut.County), At(5));
            Assert.Equal(Masks.Keep(value, 2, 1), At(6));
            Assert.Equal(Masks.Hash(value, Key), At(7));
            Assert.Equal(Masks.Hash(value, Key), At(8));
            rows++;
        }

        Assert.Equal(Values.Length, rows);
    }

    [Fact]
    public void Duckdb_masks_give_the_expected_text_and_null_for_null()
    {
        using var duck = OpenWithValues();
        using var command = new DuckDbCommand(
            "SELECT dh_mask_name('张三丰'), dh_mask_phone('13812345678'), dh_mask_id(NULL), dh_mask_keep('abc', NULL, 1), dh_mask_hash('x', NULL)", duck);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("张**", reader.GetString(0));
        Assert.Equal("138****5678", reader.GetString(1));
        Assert.True(reader.IsDBNull(2));
        Assert.True(reader.IsDBNull(3));
        Assert.True(reader.IsDBNull(4));
    }

    [Fact]
    public void The_pseudonym_depends_on_the_registered_key()
    {
        using var first = OpenWithValues();
        using var second = new DuckDbConnection();
        second.Open();
        MaskFunctions.Register(second, Encoding.UTF8.GetBytes("another-key-of-the-exchange-00"));
        string Pseudonym(DuckDbConnection duck)
        {
            using var command = new DuckDbCommand("SELECT dh_mask_pseudonym('34012210700000000')", duck);
            return (string)command.ExecuteScalar()!;
        }

        Assert.Equal(Pseudonym(first), Pseudonym(first));
        Assert.NotEqual(Pseudonym(first), Pseudonym(second));
        Assert.Equal(Masks.Hash("34012210700000000", Key), Pseudonym(first));
    }

    [Fact]
    public void A_short_key_is_refused_in_sql_and_at_registration()
    {
        using var duck = OpenWithValues();
        using var command = new DuckDbCommand("SELECT dh_mask_hash('x', 'short')", duck);
        var error = Assert.Throws<DuckDbException>(() => command.ExecuteScalar());
        Assert.Contains("16 bytes", error.Message, StringComparison.Ordinal);
        using var other = new DuckDbConnection();
        other.Open();
        Assert.Throws<ArgumentException>(() => MaskFunctions.Register(other, "short"u8));
    }
}
