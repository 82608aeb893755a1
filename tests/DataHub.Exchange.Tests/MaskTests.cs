using System.Text;
using DataHub.Exchange.Masking;

namespace DataHub.Exchange.Tests;

public sealed class MaskTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("exchange-test-key-0123456789");

    [Theory]
    [InlineData("张三丰", "张**")]
    [InlineData("张三", "张*")]
    [InlineData("张", "*")]                       // nothing would be hidden: all hidden
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("阿卜杜·热合曼", "阿******")]
    [InlineData("𠮷野家", "𠮷**")]                 // a character outside the BMP is one character, not two halves
    [InlineData(" 李四 ", "李*")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void Names_keep_their_first_character(string? name, string? expected) => Assert.Equal(expected, Masks.Name(name));

    [Theory]
    [InlineData("340102198403157731", "340102********7731")]
    [InlineData("11010519491231002X", "110105********002X")]
    [InlineData("340102840315773", "340102*****5773")]   // old 15-digit number
    [InlineData("3401021984", "**********")]             // too short to keep 6 + 4
    [InlineData("34010219840", "340102*9840")]
    [InlineData(null, null)]
    public void Citizen_ids_keep_the_first_six_and_last_four(string? id, string? expected) => Assert.Equal(expected, Masks.CitizenId(id));

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("0551-65551234", "055******1234")]
    [InlineData("1381234", "*******")]                   // malformed: 7 characters, nothing left to hide
    [InlineData("138123456", "138**3456")]
    [InlineData("电话不详", "****")]
    [InlineData(null, null)]
    public void Phones_keep_three_and_four(string? phone, string? expected) => Assert.Equal(expected, Masks.Phone(phone));

    [Theory]
    [InlineData("合肥市蜀山区三里庵街道长江西路100号", "合肥市蜀山区三里庵街道****")]
    [InlineData("安徽省合肥市肥东县八斗镇红星社区店忠路832号和顺新村31栋4单元2502室", "安徽省合肥市肥东县八斗镇****")]
    [InlineData("安徽省合肥市肥东县张集乡薛桥社区长江东大街702号", "安徽省合肥市肥东县张集乡****")]
    [InlineData("安徽省合肥市巢湖市卧牛山街道健康西路社区半汤路361号荷塘小区3栋", "安徽省合肥市巢湖市卧牛山街道****")]
    [InlineData("巢湖市卧牛山街道健康西路社区半汤路361号", "巢湖市卧牛山街道****")]
    [InlineData("安徽省合肥市肥东县撮镇镇长乐社区店忠路8号", "安徽省合肥市肥东县撮镇镇****")]
    [InlineData("安徽省合肥市长丰县朱巷镇镇北社区8号", "安徽省合肥市长丰县朱巷镇****")]
    [InlineData("江苏省镇江市京口区正东路街道中山东路1号", "江苏省镇江市京口区正东路街道****")]
    [InlineData("山西省临汾市乡宁县昌宁镇新华街3号", "山西省临汾市乡宁县昌宁镇****")]
    [InlineData("安徽省合肥市瑶海区三里街街道长江东路8号", "安徽省合肥市瑶海区三里街街道****")]
    [InlineData("安徽省合肥市肥东县肥东经济开发区管理委员会龙城路5号", "安徽省合肥市肥东县肥东经济开发区管理委员会****")]
    [InlineData("安徽省合肥市庐阳区庐阳工业区（林店街道）天水路9号", "安徽省合肥市庐阳区庐阳工业区（林店街道）****")]
    [InlineData("安徽省合肥市包河区滨湖世纪社区徽州大道1号", "安徽省合肥市包河区****")]     // 社区 may be below the township: county
    [InlineData("合肥市蜀山区长江西路100号", "合肥市蜀山区****")]            // no township: cut at the county
    [InlineData("合肥市长江西路100号", "合肥市****")]                     // no county: the city stands for it
    [InlineData("长江西路100号", "****")]                                // nothing administrative: all hidden
    [InlineData("", "")]
    [InlineData(null, null)]
    public void Addresses_are_cut_after_the_township(string? address, string? expected) => Assert.Equal(expected, Masks.Address(address));

    [Fact]
    public void Addresses_can_be_cut_at_the_county() =>
        Assert.Equal("安徽省合肥市蜀山区****", Masks.Address("安徽省合肥市蜀山区三里庵街道长江西路100号", AddressCut.County));

    [Fact]
    public void Keyed_hashes_are_stable_keyed_and_never_the_value()
    {
        var a = Masks.Hash("34012210700000000", Key);
        Assert.Equal(a, Masks.Hash("34012210700000000", Key));
        Assert.Matches("^[0-9a-f]{16}$", a!);
        Assert.NotEqual(a, Masks.Hash("34012210700000001", Key));
        Assert.NotEqual(a, Masks.Hash("34012210700000000", Encoding.UTF8.GetBytes("another-key-of-the-exchange-00")));
        Assert.Equal(32, Masks.Hash("x", Key, 32)!.Length);
        Assert.StartsWith(Masks.Hash("x", Key, 8)!, Masks.Hash("x", Key, 64)!, StringComparison.Ordinal);
        Assert.Null(Masks.Hash(null, Key));
    }

    [Theory]
    [InlineData("abc", "cb37a69dd493a94f")]   // computed with Python's hmac module
    [InlineData("张三", "4612eae335ac2aaf")]    // hashed as UTF-8
    public void Keyed_hashes_are_hmac_sha256_in_hex(string value, string expected) =>
        Assert.Equal(expected, Masks.Hash(value, "key0123456789abcdef"u8));

    [Fact]
    public void Short_keys_are_refused() =>
        Assert.Throws<ArgumentException>(() => Masks.Hash("abc", "short"u8));
}
