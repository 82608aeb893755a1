namespace DataHub.Host.Samples;

/// <summary>
/// 国家税务总局合肥市税务局 taxpayer registrations: row <c>i</c> is enterprise <c>i</c> of the market register. The
/// tax status runs ahead of the market register's (<see cref="SampleLife.TaxStatus"/>): deregistered for tax but
/// still 存续 in the market register, 非正常 for revoked ones; one enterprise in ten has moved its business address
/// since the market register's last approval (<see cref="SampleLife.EnterpriseMoved"/>). One enterprise in ten set
/// up before the credit code reform is still filed under its old fifteen-character taxpayer number (the division
/// code and the organisation code: characters 3–17 of the credit code). The 生产经营地址 of an enterprise that has not
/// moved is the market register's 住所 as that wrote it (the registration is shared with the tax office since
/// 多证合一); a new one is written as the taxpayer declared it (<see cref="SampleAddresses.Declared"/>).
/// </summary>
internal sealed class TaxShape : SampleShape, IAddressShape
{
    public override SampleKind Kind => SampleKind.Tax;

    public override string Dataset => "tax.taxpayer_registration";

    public override string Folder => "tax";

    public override string FileStem => "taxpayer_registration_2026-09";

    public override IReadOnlyList<string> Headers { get; } =
        ["纳税人识别号", "纳税人名称", "法定代表人", "纳税人状态", "登记日期", "状态变更日期", "生产经营地址", "主管税务机关", "更新日期"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "纳税人名称",
        [SampleDirt.None] = "生产经营地址",
        [SampleDirt.FullWidth] = "登记日期",
        [SampleDirt.ImpossibleDate] = "登记日期",
    };

    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.ExtraField,
    };

    public string AddressHeader => "生产经营地址";

    public (SamplePlace Place, SampleAddressStyle Style) Address(long index, long rows, ulong seed)
    {
        var enterprise = SampleEnterprise.Of(seed, index);
        return SampleLife.EnterpriseMoved(seed, enterprise) is { } moved
            ? (moved.Place, SampleAddresses.Declared(seed, 804, index))
            : (enterprise.Place, MarketShape.Style(seed, index));
    }

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var enterprise = SampleEnterprise.Of(seed, index);
        var random = new SampleRandom(seed, 760, (ulong)index);
        var registered = SampleLife.Min(enterprise.Established.AddDays(random.Between(1, 30)), SamplePerson.LastDay);
        var (status, since) = SampleLife.TaxStatus(seed, enterprise);
        var updated = SampleLife.Max(registered, since ?? registered);
        if (SampleLife.EnterpriseMoved(seed, enterprise) is { } moved)
        {
            updated = SampleLife.Max(updated, moved.On);
        }

        var (place, style) = Address(index, rows, seed);
        var county = enterprise.Place.County;
        row.Clear();
        row.Add(enterprise.BeforeReform && random.Chance(0.1) ? enterprise.CreditCode.AsSpan(2, 15) : enterprise.CreditCode);
        row.Add(enterprise.Name);
        row.Add(enterprise.LegalRepresentative);
        row.Add(status);
        row.AddDate(registered);
        if (since is { } day)
        {
            row.AddDate(day);
        }
        else
        {
            row.Add(string.Empty);
        }

        row.Begin();
        SampleAddresses.Write(row, place, style);
        row.End();
        row.Add(county.Name.EndsWith('区') ? $"国家税务总局合肥市{county.Name}税务局" : $"国家税务总局{county.Name}税务局");
        row.AddDate(updated);
    }
}
