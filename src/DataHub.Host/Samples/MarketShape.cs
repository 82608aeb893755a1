namespace DataHub.Host.Samples;

/// <summary>
/// 市市场监督管理局 enterprise registrations as newline-delimited JSON (every value a string, as the registration
/// system's export writes it). Credit codes are 91 (工商, 企业) + the registering authority's division + a GB 11714
/// organisation code with its own check character + the GB 32100 check character; codes of enterprises set up
/// since the credit code reform (2015-10) have organisation codes beginning with MA. Each line is
/// <see cref="SampleEnterprise.Of"/> of its number, so the theme sources find the same enterprises. The 住所 is the
/// enterprise's standard address as the register writes it (<see cref="SampleAddresses.Register"/>).
/// </summary>
internal sealed class MarketShape : SampleShape, IAddressShape
{
    public override SampleKind Kind => SampleKind.Market;

    public override string Dataset => "market.business_registration";

    public override string Folder => "market";

    public override string FileStem => "business_registration_2026-10";

    public override bool IsNdjson => true;

    public override IReadOnlyList<string> Headers { get; } =
        ["统一社会信用代码", "企业名称", "企业类型", "法定代表人", "注册资本", "成立日期", "登记状态", "住所", "住所所在行政区划", "登记机关", "核准日期", "经营范围"];

    public override IReadOnlyDictionary<SampleDirt, string> DirtColumns { get; } = new Dictionary<SampleDirt, string>
    {
        [SampleDirt.Blank] = "法定代表人",
        [SampleDirt.None] = "住所",
        [SampleDirt.FullWidth] = "注册资本",
        [SampleDirt.ImpossibleDate] = "成立日期",
        [SampleDirt.Negative] = "注册资本",
        [SampleDirt.BadCheckDigit] = "统一社会信用代码",
    };

    /// <summary>A failed credit code check is a warning (some early pilot codes fail it although legal), so those rows pass.</summary>
    public override IReadOnlySet<SampleDirt> Rejected { get; } = new HashSet<SampleDirt>
    {
        SampleDirt.Blank, SampleDirt.None, SampleDirt.FullWidth, SampleDirt.ImpossibleDate, SampleDirt.Negative,
    };

    protected override string CheckAlphabet => SampleEnterprise.CreditAlphabet;

    public string AddressHeader => "住所";

    public (SamplePlace Place, SampleAddressStyle Style) Address(long index, long rows, ulong seed) =>
        (SampleEnterprise.Of(seed, index).Place, Style(seed, index));

    /// <summary>How the market register wrote enterprise <paramref name="index"/>'s 住所 (the tax office's copy of it too).</summary>
    internal static SampleAddressStyle Style(ulong seed, long index) => SampleAddresses.Register(seed, 803, index);

    public override void Fill(SampleRow row, long index, long rows, ulong seed)
    {
        var enterprise = SampleEnterprise.Of(seed, index);
        row.Clear();
        row.Add(enterprise.CreditCode);
        row.Add(enterprise.Name);
        row.Add(enterprise.Type);
        row.Add(enterprise.LegalRepresentative);
        row.AddDecimal(enterprise.Capital, enterprise.CapitalScale);
        row.AddDate(enterprise.Established);
        row.Add(enterprise.Status);
        row.Begin();
        SampleAddresses.Write(row, enterprise.Place, Style(seed, index));
        row.End();
        row.Add(enterprise.Place.County.Code);
        row.Add(enterprise.Authority);
        row.AddDate(enterprise.Approved);
        row.Begin().Append(enterprise.Scope).Append("（依法须经批准的项目，经相关部门批准后方可开展经营活动）").End();
    }

    /// <summary>GB 11714-1997 organisation code check character (see <see cref="SampleEnterprise.OrganisationCheck"/>).</summary>
    internal static char OrganisationCheck(ReadOnlySpan<char> first8) => SampleEnterprise.OrganisationCheck(first8);
}
